// PayBy's wire rules as the simulator enforces them (spec §2, §4, §8): the {head, body} envelope, code names,
// Money as a JSON number, order-number rules, "merchantOrderNo or orderNo, never both".
import { fromMajorNumber, fromMajorString, toMajorNumber } from '../../src/shared/money.ts';
import { randomDigits } from '../common/random.ts';

export type Obj = Record<string, unknown>;

export interface Head {
  applyStatus: 'SUCCESS' | 'FAIL' | 'ERROR';
  code: string;
  msg: string;
  success: boolean;
  traceCode: string;
}

export interface Reply {
  head: Head;
  body?: Obj;
}

export const CODE_NAMES: Record<string, string> = {
  '0': 'SUCCESS',
  '400': 'INVALID_PARAMETER',
  '402': 'RATE_LIMIT_REJECT',
  '403': 'UNAUTHORIZED',
  '404': 'SERVICE_NOT_AVAILABLE',
  '500': 'SYSTEM_ERROR',
  '504': 'SERVICE_TIMEOUT',
  '601': 'RISK_FAIL',
  '62001': 'ORDER_PAID',
  '62002': 'ORDER_FAILURE',
  '62003': 'ORDER_SETTLED',
  '62004': 'MERCHANT_ORDER_NO_NOT_EXIST',
  '62006': 'REFUND_AMOUNT_EXCEEDED',
  '62007': 'REFUND_MERCHANT_ORDER_NO_NOT_EXIST',
  '62008': 'EXPIREDTIME_LESS_THAN_REQUESTTIME',
  '62009': 'EXPIREDTIME_TOO_LATER',
  '62012': 'PAYSCENECODE_ILLEGAL',
  '62015': 'ORDER_NOT_PAID',
  '62016': 'MERCHANT_ORDER_NO_EXIST',
  '62017': 'REFUND_MERCHANT_ORDER_NO_EXIST',
  '62026': 'PRODUCT_IS_NOT_APPLIED',
  '62033': 'MISSING_AUTHCODE',
  '62035': 'ORDER_NO_NOT_EXIST',
  '62039': 'REVOKE_FAILURE',
  '62040': 'ACQUIRE_ORDER_REVOKED',
  '62041': 'ACQUIRE_ORDER_REFUNDED',
  '62045': 'REFUND_REJECTED',
  '62046': 'REVOKE_REJECTED',
  '62073': 'INVALID_ONE_TIME_PAYMENT',
  '62082': 'TOKEN_URL_NOT_EXIST',
  '62089': 'INVALID_EXPIRED_TIME',
};

const trace = () => randomDigits(6);

export function ok(body: Obj): Reply {
  return { head: { applyStatus: 'SUCCESS', code: '0', msg: 'SUCCESS', success: true, traceCode: trace() }, body };
}

/** A business or global error. `detail` is appended to the code name, e.g. "INVALID_PARAMETER: subject…". */
export function fail(code: string, detail?: string): Reply {
  const name = CODE_NAMES[code] ?? 'ERROR';
  return { head: { applyStatus: 'FAIL', code, msg: detail ? `${name}: ${detail}` : name, success: false, traceCode: trace() } };
}

/** An error whose msg is a name of its own (e.g. 400 REQUESTTIME_TOO_EARLY). */
export function failNamed(code: string, msg: string): Reply {
  return { head: { applyStatus: 'FAIL', code, msg, success: false, traceCode: trace() } };
}

/** Our request's signature did not verify (spec §2: applyStatus ERROR = wrong key pair). Simulator choice:
 *  code 403, one of the codes PayBy may send unsigned (README). */
export function signError(detail: string): Reply {
  return { head: { applyStatus: 'ERROR', code: '403', msg: `SIGN_ERROR: ${detail}`, success: false, traceCode: trace() } };
}

export function isReply(x: unknown): x is Reply {
  return !!x && typeof x === 'object' && 'head' in x;
}

export const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** Money: AED and a positive Decimal, ≤ 12 integer digits, ≤ 2 decimals. The docs' examples and the Java SDK
 *  send a JSON number; PayBy's PHP SDK sends a decimal string ("0.3"). Both are taken (README). */
export function parseMoney(v: unknown, field: string): number | Reply {
  const m = obj(v);
  if (!m) return fail('400', `${field} must be {currency, amount}`);
  if (m.currency !== 'AED') return fail('400', `${field}.currency must be AED`);
  const bad = () => fail('400', `${field}.amount must be a positive decimal with at most 12 integer digits and 2 decimals`);
  if (typeof m.amount === 'string') {
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(m.amount)) return bad();
    const minor = fromMajorString(m.amount, 'AED').value;
    return minor > 0 ? minor : bad();
  }
  if (typeof m.amount !== 'number' || !Number.isFinite(m.amount) || m.amount <= 0 || m.amount >= 1e12) return bad();
  try {
    return fromMajorNumber(m.amount, 'AED').value;
  } catch {
    return fail('400', `${field}.amount has more than 2 decimals`);
  }
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/i;

/** requestTime: epoch milliseconds (docs, Java SDK) or an RFC 3339 time (PayBy's PHP SDK sends
 *  `date(DATE_RFC3339_EXTENDED)`, e.g. "2026-12-05T02:10:00.123+04:00"). null when neither. */
export function parseRequestTime(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v !== 'string') return null;
  const m = RFC3339.exec(v);
  if (!m) return null;
  // Milliseconds are the finest unit PayBy keeps; longer fractions are cut, not rounded.
  const ms = Date.parse(`${m[1]}${(m[2] ?? '').slice(0, 4)}${m[3].toUpperCase()}`);
  return Number.isNaN(ms) ? null : ms;
}

export function money(minor: number): { currency: string; amount: number } {
  return { currency: 'AED', amount: toMajorNumber({ value: minor, currency: 'AED' }) };
}

export function isOrderNo(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
}

/** Exactly one of two id fields (spec §4): both or neither → 400. */
export function oneOf(biz: Obj, a: string, b: string): Record<string, string> | Reply {
  const hasA = biz[a] !== undefined && biz[a] !== '';
  const hasB = biz[b] !== undefined && biz[b] !== '';
  if (hasA === hasB) return fail('400', `send exactly one of ${a} and ${b}`);
  const key = hasA ? a : b;
  if (typeof biz[key] !== 'string') return fail('400', `${key} must be a string`);
  return { [key]: biz[key] };
}

export function checkUrl(v: unknown, field: string): Reply | null {
  if (v === undefined) return null;
  if (typeof v !== 'string' || v.length > 200) return fail('400', `${field} must be a URL of at most 200 characters`);
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' || u.protocol === 'https:') return null;
  } catch {
    /* fall through */
  }
  return fail('400', `${field} must be an http(s) URL`);
}

/** Parameters compared for idempotency: key order does not matter, values do. */
export function canonical(v: unknown): string {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, walk((x as Obj)[k])]),
      );
    return x;
  };
  return JSON.stringify(walk(v));
}
