// Checks a POST /api/orders body before anything is written. Money is integer minor units in the store's
// currency and the total must be exactly the sum of the lines: a queued order is what staff later charge,
// so a total that does not add up is refused rather than "fixed".
import { MoneyError, validateAmount, type Money } from '../../src/shared/money.ts';
import { ORDER_ID_PATTERN, ORDER_LIMITS, ORDER_STATUSES, type OrderLine, type OrderStatus, type OrderUpsertRequest } from '../../src/shared/orders.ts';
import { ApiError } from '../payments/api-error.ts';

const BODY_KEYS = new Set(['id', 'lines', 'total', 'createdAt', 'status']);
const LINE_KEYS = new Set(['sku', 'name', 'quantity', 'unitPrice']);
// Strict ISO 8601 UTC as Date.prototype.toISOString() writes it (what the kiosk sends).
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function bad(code: string, message: string, details?: unknown): never {
  throw new ApiError(400, code, message, details);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function money(v: unknown, field: string, currency: string, maxMinor: number): Money {
  let m: Money;
  try {
    m = validateAmount(v, maxMinor);
  } catch (err) {
    if (err instanceof MoneyError) bad(err.code, `${field}: ${err.message}`, { field });
    throw err;
  }
  if (m.currency !== currency) bad('unsupported_currency', `${field}: this store sells in ${currency}, not ${m.currency}.`, { field });
  return m;
}

function line(v: unknown, i: number, currency: string, maxMinor: number): OrderLine {
  const field = `lines[${i}]`;
  if (!isObject(v)) bad('invalid_line', `${field} must be an object {sku?, name, quantity, unitPrice}.`, { field });
  const extra = Object.keys(v).filter((k) => !LINE_KEYS.has(k));
  if (extra.length) bad('invalid_line', `${field} has unknown fields: ${extra.join(', ')}.`, { field });
  const { sku, name, quantity } = v;
  if (sku !== undefined && sku !== null && (typeof sku !== 'string' || sku.length < 1 || sku.length > ORDER_LIMITS.maxSkuLength)) {
    bad('invalid_line', `${field}.sku must be 1-${ORDER_LIMITS.maxSkuLength} characters or absent.`, { field });
  }
  if (typeof name !== 'string' || name.trim() === '' || name.length > ORDER_LIMITS.maxNameLength) {
    bad('invalid_line', `${field}.name must be 1-${ORDER_LIMITS.maxNameLength} characters.`, { field });
  }
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > ORDER_LIMITS.maxQuantity) {
    bad('invalid_line', `${field}.quantity must be a whole number from 1 to ${ORDER_LIMITS.maxQuantity}.`, { field });
  }
  const unitPrice = money(v.unitPrice, `${field}.unitPrice`, currency, maxMinor);
  return { sku: typeof sku === 'string' ? sku : null, name, quantity, unitPrice };
}

export function validateOrder(body: unknown, currency: string, maxMinor: number): OrderUpsertRequest {
  if (!isObject(body)) bad('invalid_request', 'The body must be a JSON object {id, lines, total, createdAt, status}.');
  const extra = Object.keys(body).filter((k) => !BODY_KEYS.has(k));
  if (extra.length) bad('invalid_request', `Unknown fields: ${extra.join(', ')}.`);
  const { id, lines, createdAt, status } = body;
  if (typeof id !== 'string' || !ORDER_ID_PATTERN.test(id)) {
    bad('invalid_order_id', 'id must be the client order id: 8-128 letters, digits, "-" or "_" (a UUID).');
  }
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > ORDER_LIMITS.maxLines) {
    bad('invalid_lines', `lines must be a list of 1-${ORDER_LIMITS.maxLines} lines.`);
  }
  const parsed = lines.map((l, i) => line(l, i, currency, maxMinor));
  const total = money(body.total, 'total', currency, maxMinor);
  let sum = 0;
  for (const l of parsed) sum += l.unitPrice.value * l.quantity;
  if (!Number.isSafeInteger(sum) || sum !== total.value) {
    bad('total_mismatch', `total is ${total.value} but the lines add up to ${sum} (minor units).`, { total: total.value, sum });
  }
  if (typeof createdAt !== 'string' || !ISO_UTC.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    bad('invalid_created_at', 'createdAt must be an ISO 8601 UTC timestamp such as 2025-01-31T09:30:00.000Z.');
  }
  if (typeof status !== 'string' || !(ORDER_STATUSES as readonly string[]).includes(status)) {
    bad('invalid_status', `status must be one of ${ORDER_STATUSES.join(', ')}.`);
  }
  return { id, lines: parsed, total, createdAt, status: status as OrderStatus };
}
