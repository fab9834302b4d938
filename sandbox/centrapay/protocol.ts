// Centrapay's wire rules as the simulator enforces them: the error body (spec §8), the route list (also
// the names faults use), and small validators. Bad input always ends as a Centrapay error, never a 500.
export const PATHS = {
  create: '/api/payment-requests',
  get: '/api/payment-requests/:paymentRequestId',
  shortCode: '/api/payment-requests/short-code/:shortCode',
  externalRef: '/api/payment-requests/external-ref/:externalRef',
  activities: '/api/payment-requests/:paymentRequestId/activities',
  void: '/api/payment-requests/:paymentRequestId/void',
  refund: '/api/payment-requests/:paymentRequestId/refund',
  pay: '/api/payment-requests/:paymentRequestId/pay',
  summary: '/api/payment-requests/:paymentRequestId/summary',
  acceptCondition: '/api/payment-requests/:paymentRequestId/conditions/:conditionId/accept',
  declineCondition: '/api/payment-requests/:paymentRequestId/conditions/:conditionId/decline',
  decode: '/api/decode',
  patronCode: '/api/patron-codes/barcode/:barcode',
} as const;

export const API_PATHS: readonly string[] = Object.values(PATHS);

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  reason?: string;
}

/** `message` is the code clients branch on; `reason` is free text for humans. */
export function errorBody(statusCode: number, message: string, reason?: string): ErrorBody {
  return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message, ...(reason ? { reason } : {}) };
}

/** A route's answer: status + JSON body. Handlers return these; the route shell sends them. */
export interface Answer {
  status: number;
  body: unknown;
}

export const ok = (body: unknown): Answer => ({ status: 200, body });
export const refuse = (status: 400 | 403, message: string, reason?: string): Answer => ({
  status,
  body: errorBody(status, message, reason),
});
/** Not found and not yours look the same at Centrapay: 403 "Forbidden". */
export const forbidden = (reason?: string): Answer => refuse(403, 'Forbidden', reason);
export const badRequest = (reason: string): Answer => refuse(400, 'Bad Request', reason);

export function isAnswer(v: unknown): v is Answer {
  return !!v && typeof v === 'object' && 'status' in v && 'body' in v;
}

export type Json = Record<string, unknown>;

export function asObject(body: unknown): Json | null {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : null;
}

/** Optional string fields, each at most `max` characters. Returns an error Answer or null. */
export function checkStrings(b: Json, names: readonly string[], max = 128): Answer | null {
  for (const n of names) {
    const v = b[n];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0 || v.length > max)
      return badRequest(`${n} must be a non-empty string of at most ${max} characters`);
  }
  return null;
}

/** A monetary (§3): `{amount: "<positive integer string < 100000000>", currency}`. */
export function parseMonetary(v: unknown, field: string): { minor: number; currency: string } | Answer {
  const m = asObject(v);
  if (!m) return badRequest(`${field} must be an object {amount, currency}`);
  if (typeof m.currency !== 'string' || !/^[A-Z]{3}$/.test(m.currency)) return badRequest(`${field}.currency must be an ISO 4217 code`);
  if (typeof m.amount !== 'string' || !/^\d+$/.test(m.amount))
    return badRequest(`${field}.amount must be a string of minor units, e.g. "1250"`);
  const minor = Number(m.amount);
  if (minor <= 0 || minor >= 100_000_000) return badRequest(`${field}.amount must be positive and below 100000000`);
  return { minor, currency: m.currency };
}

/** lineItems, when given, must sum to the value (§4). The docs' text says the prices (each already net of its
 *  discount) sum to the value, but their own refund example only adds up as price − discount (4000 − 400 =
 *  3600): either sum is accepted, so every documented example passes (README). */
export function checkLineItems(v: unknown, minor: number): Answer | null {
  if (v === undefined) return null;
  if (!Array.isArray(v)) return badRequest('lineItems must be an array');
  let sum = 0;
  let discounts = 0;
  for (const item of v) {
    const li = asObject(item);
    if (!li || typeof li.name !== 'string' || li.qty === undefined || typeof li.price !== 'string' || !/^-?\d+$/.test(li.price)) {
      return badRequest('each line item needs name, qty and price (a string of cents)');
    }
    if (li.discount !== undefined && (typeof li.discount !== 'string' || !/^\d+$/.test(li.discount)))
      return badRequest('a line item discount must be a string of cents');
    sum += Number(li.price);
    discounts += Number(li.discount ?? 0);
  }
  if (sum === minor || sum - discounts === minor) return null;
  return refuse(400, 'LINE_ITEMS_SUM_CHECK_FAILED', `line items sum to ${sum}, value is ${minor}`);
}
