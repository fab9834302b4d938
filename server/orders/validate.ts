// Checks a POST /api/orders body before anything is written; its shape (fields, types, lengths, id format,
// statuses) was checked by the route's schema (src/shared/api-schemas.ts). Money is integer minor units in the
// store's currency and the total must be exactly the sum of the lines: a queued order is what staff later
// charge, so a total that does not add up is refused rather than "fixed".
import { MoneyError, validateAmount, type Money } from '../../src/shared/money.ts';
import type { OrderLine, OrderUpsertRequest } from '../../src/shared/orders.ts';
import { ApiError } from '../payments/api-error.ts';

function bad(code: string, message: string, details?: unknown): never {
  throw new ApiError(400, code, message, details);
}

function money(v: Money, field: string, currency: string, maxMinor: number): Money {
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

/** The order as stored: fields in one order and sku always present, so equal orders serialize equally. */
export function validateOrder(body: OrderUpsertRequest, currency: string, maxMinor: number): OrderUpsertRequest {
  const lines: OrderLine[] = body.lines.map((l, i) => ({
    sku: l.sku ?? null,
    name: l.name,
    quantity: l.quantity,
    unitPrice: money(l.unitPrice, `lines[${i}].unitPrice`, currency, maxMinor),
  }));
  const total = money(body.total, 'total', currency, maxMinor);
  let sum = 0;
  for (const l of lines) sum += l.unitPrice.value * l.quantity;
  if (!Number.isSafeInteger(sum) || sum !== total.value) {
    bad('total_mismatch', `total is ${total.value} but the lines add up to ${sum} (minor units).`, { total: total.value, sum });
  }
  // The schema checks the form; a well-formed date may still not exist (month 13).
  if (Number.isNaN(Date.parse(body.createdAt))) {
    bad('invalid_created_at', 'createdAt must be an ISO 8601 UTC timestamp such as 2025-01-31T09:30:00.000Z.');
  }
  return { id: body.id, lines, total, createdAt: body.createdAt, status: body.status };
}
