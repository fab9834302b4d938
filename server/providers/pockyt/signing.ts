// Pockyt `verifySign` (spec providers/pockyt.md §4). The only place the API token is used.
// verifySign = md5( join('&', sorted(k=v)) + '&' + md5(token) ), lower-case hex.
import { createHash, timingSafeEqual } from 'node:crypto';

export type PockytFields = Record<string, string | null | undefined>;

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The exact string that gets hashed. `includeEmpty` reproduces the PHP/Java/Python SDKs, which sign
 *  empty values as `key=`; by default empties are dropped (Go/JS), which is why we never send them. */
export function signString(fields: PockytFields, token: string, opts: { includeEmpty?: boolean } = {}): string {
  const keys = Object.keys(fields).filter((k) => {
    if (k === 'verifySign') return false;
    const v = fields[k];
    if (v === undefined || v === null) return false;
    return opts.includeEmpty ? true : v !== '';
  });
  // Default sort compares UTF-16 code units (= byte order for ASCII keys): `merGroupNo` < `merchantNo`.
  // A locale-aware compare would differ from every server-side implementation.
  keys.sort();
  const joined = keys.map((k) => `${k}=${fields[k]}`).join('&');
  return `${joined}&${md5(token)}`;
}

export function verifySign(fields: PockytFields, token: string, opts: { includeEmpty?: boolean } = {}): string {
  return md5(signString(fields, token, opts));
}

/** Returns the fields plus `verifySign`, with absent/empty values removed (never send an empty field). */
export function signFields(fields: PockytFields, token: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k !== 'verifySign' && v !== undefined && v !== null && v !== '') out[k] = v;
  }
  out.verifySign = verifySign(out, token);
  return out;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  // Length is not secret (always 32 for a real signature); the content compare must be constant-time.
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks a received field map (IPN or request) that carries its own `verifySign`. SDKs disagree on empty
 *  values, so when any field is empty both forms are accepted (spec §10). */
export function verifyPockytSign(fields: PockytFields, token: string): boolean {
  const received = fields.verifySign;
  if (typeof received !== 'string' || received === '') return false;
  if (sameHex(verifySign(fields, token), received)) return true;
  const hasEmpty = Object.entries(fields).some(([k, v]) => k !== 'verifySign' && v === '');
  return hasEmpty && sameHex(verifySign(fields, token, { includeEmpty: true }), received);
}
