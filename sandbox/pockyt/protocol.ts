// Pockyt's wire rules as the simulator enforces them: flat string fields, the {ret_code, ret_msg, result}
// envelope, credentials + verifySign, required fields and "exactly one of transactionNo/reference".
import { fromMajorString, toMajorString } from '../../src/shared/money.ts';
import { verifyPockytSign } from '../../server/providers/pockyt/signing.ts';

export interface Envelope {
  ret_code: string;
  ret_msg: string;
  result?: Record<string, unknown>;
}

export type Fields = Record<string, string>;

/** Marks a body the parsers could not read; routes answer it with a Pockyt error instead of a 500. */
export const MALFORMED: unique symbol = Symbol('malformed body');

export function fail(ret_code: string, ret_msg: string): Envelope {
  return { ret_code, ret_msg };
}

export function ok(ret_msg: string, result: Record<string, unknown>): Envelope {
  return { ret_code: '000100', ret_msg, result };
}

/** JSON bodies may carry numbers/booleans (some docs examples do); they are read as their string form,
 *  which is also what the signature must have covered. Nested values are not part of the in-store API. */
export function readFields(body: unknown): Fields | null {
  if (body === MALFORMED || !body || typeof body !== 'object' || Array.isArray(body)) return null;
  const out: Fields = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else return null;
  }
  return out;
}

export function missing(f: Fields, names: readonly string[]): Envelope | null {
  const absent = names.filter((n) => !f[n]);
  return absent.length ? fail('000020', `required parameter missing: ${absent.join(', ')}`) : null;
}

/** Simulator choice (spec §7 leaves it open): a bad verifySign or foreign merchant/store → 000030. */
export function authenticate(f: Fields, creds: { merchantNo: string; storeNo: string; token: string }): Envelope | null {
  const m = missing(f, ['merchantNo', 'storeNo', 'verifySign']);
  if (m) return m;
  if (!verifyPockytSign(f, creds.token)) return fail('000030', 'verifySign mismatch: access denied');
  if (f.merchantNo !== creds.merchantNo || f.storeNo !== creds.storeNo) {
    return fail('000030', 'merchantNo/storeNo has no rights for this API token');
  }
  return null;
}

/** Both → 000022 (conflict); neither → 000020 (nothing to look up). */
export function exactlyOneId(f: Fields): Envelope | { transactionNo?: string; reference?: string } {
  const hasNo = !!f.transactionNo;
  const hasRef = !!f.reference;
  if (hasNo && hasRef) return fail('000022', 'parameters conflict: send transactionNo or reference, not both');
  if (!hasNo && !hasRef) return fail('000020', 'required parameter missing: transactionNo or reference');
  return hasNo ? { transactionNo: f.transactionNo } : { reference: f.reference };
}

export function isEnvelope(x: unknown): x is Envelope {
  return !!x && typeof x === 'object' && 'ret_code' in x;
}

/** "13" / "13.5" / "13.00" → {minor, text:"13.00"}; anything else (or ≤ 0) → null. */
export function parseAmount(text: string, currency: string): { minor: number; text: string } | null {
  try {
    const m = fromMajorString(text, currency);
    if (m.value <= 0 || text !== text.trim()) return null;
    return { minor: m.value, text: toMajorString(m) };
  } catch {
    return null;
  }
}

export function checkCurrencies(f: Fields): Envelope | null {
  // In-store docs list USD only (spec §6.1, §9).
  if (f.currency !== 'USD') return fail('000023', `currency ${f.currency} is not supported in-store; use USD`);
  if (f.settleCurrency !== 'USD') return fail('000023', `settleCurrency ${f.settleCurrency} is not supported; use USD`);
  return null;
}

export function parseTimeout(f: Fields): number | Envelope {
  if (f.timeout === undefined) return 120;
  if (!/^\d{1,4}$/.test(f.timeout) || Number(f.timeout) < 1 || Number(f.timeout) > 1440) {
    return fail('000023', 'timeout must be a whole number of minutes between 1 and 1440');
  }
  return Number(f.timeout);
}

export function checkUrl(name: string, value: string | undefined): Envelope | null {
  if (value === undefined) return null;
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return null;
  } catch {
    /* fall through */
  }
  return fail('000023', `${name} must be an http(s) URL`);
}
