// Centrapay webhook tokens (spec §10): ES256 JWTs in the `Authorization` header, carrying
// `request_body_sha256` of the raw body and `aud` = the receiver's webhook base URL. The simulator signs
// with this module; the notification intake (next issue) verifies with it. node:crypto only.
import { createHash, createPublicKey, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export interface EcJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid?: string;
  use?: string;
  alg?: string;
}

export interface Jwks {
  keys: EcJwk[];
}

export interface NotificationClaims {
  iat: number;
  exp: number;
  aud: string | string[];
  request_body_sha256?: string;
}

export type JwtFailure =
  | 'missing_token' | 'malformed' | 'unsupported_alg' | 'unknown_kid' | 'bad_signature'
  | 'expired' | 'not_yet_valid' | 'wrong_audience' | 'body_hash_mismatch' | 'missing_body_hash';

export type JwtCheck =
  | { ok: true; kid: string; claims: NotificationClaims }
  | { ok: false; reason: JwtFailure; message: string };

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Lower-case hex SHA-256 of the exact bytes sent (never of a re-serialised object). */
export function bodySha256(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The public half as a JWK for the JWKS endpoint. */
export function publicJwk(key: KeyObject, kid: string): EcJwk {
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new Error('Centrapay notification keys are P-256 EC keys');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, use: 'sig', alg: 'ES256' };
}

/** Signs a notification token. JWS ES256 wants the raw 64-byte r‖s, not DER (hence ieee-p1363). */
export function signNotificationJwt(opts: {
  privateKey: KeyObject; kid: string; audience: string; body?: string | Uint8Array; nowSec?: number; ttlSec?: number;
}): string {
  const iat = opts.nowSec ?? Math.floor(Date.now() / 1000);
  const claims: NotificationClaims = { iat, exp: iat + (opts.ttlSec ?? 300), aud: opts.audience };
  // "absent if no body" (§10).
  if (opts.body !== undefined && opts.body.length > 0) claims.request_body_sha256 = bodySha256(opts.body);
  const input = `${b64url(JSON.stringify({ alg: 'ES256', kid: opts.kid, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const sig = sign('sha256', Buffer.from(input), { key: opts.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(sig)}`;
}

// Docs' decoded example shows iat/exp as strings ("1684105185"); the worked vector uses numbers.
function numericClaim(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d{1,12}$/.test(v)) return Number(v);
  return undefined;
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a notification as §10 says: ES256 signature by the JWKS key named in `kid`, exp/iat window,
 *  `aud` equal to our webhook base URL, and the SHA-256 of the raw body. `Bearer ` prefix is optional
 *  (whether Centrapay sends it is unconfirmed). */
export function verifyNotificationJwt(opts: {
  authorization: string | undefined; body: string | Uint8Array; jwks: Jwks; audience: string; nowSec?: number;
  /** Grace after exp, seconds. Default 0. */
  leewaySec?: number;
}): JwtCheck {
  const fail = (reason: JwtFailure, message: string): JwtCheck => ({ ok: false, reason, message });
  const token = opts.authorization?.trim().replace(/^Bearer\s+/i, '');
  if (!token) return fail('missing_token', 'no JWT in the Authorization header');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return fail('malformed', 'not a compact JWS');
  const header = decodeJson(parts[0]);
  const payload = decodeJson(parts[1]);
  if (!header || !payload) return fail('malformed', 'JWT header or payload is not JSON');
  // Only ES256: never let the token choose `none` or an HMAC keyed with our public key.
  if (header.alg !== 'ES256') return fail('unsupported_alg', `alg ${JSON.stringify(header.alg)} is not ES256`);
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const jwk = opts.jwks.keys.find((k) => k.kid === kid && k.kty === 'EC' && k.crv === 'P-256');
  if (!jwk) return fail('unknown_kid', `no JWKS key with kid ${JSON.stringify(kid)}`);

  const sig = Buffer.from(parts[2], 'base64url');
  let valid = false;
  try {
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
    valid = sig.length === 64 && verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    valid = false;
  }
  if (!valid) return fail('bad_signature', 'signature does not verify with the JWKS key');

  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  // exp is strict by default (the spec's vector must fail one second after exp); a token "from the future"
  // gets a minute of clock skew, since a fast Centrapay clock is no attack.
  const leeway = opts.leewaySec ?? 0;
  const iat = numericClaim(payload.iat);
  const exp = numericClaim(payload.exp);
  if (iat === undefined || exp === undefined) return fail('malformed', 'iat/exp missing or not numeric');
  if (now > exp + leeway) return fail('expired', `token expired at ${exp}`);
  if (iat > now + Math.max(leeway, 60)) return fail('not_yet_valid', `token issued in the future (${iat})`);

  const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!auds.some((a) => typeof a === 'string' && trimSlash(a) === trimSlash(opts.audience))) {
    return fail('wrong_audience', `aud ${JSON.stringify(payload.aud)} is not ${opts.audience}`);
  }
  const claimed = payload.request_body_sha256;
  const hasBody = opts.body.length > 0;
  if (hasBody && typeof claimed !== 'string') return fail('missing_body_hash', 'request_body_sha256 missing for a request with a body');
  if (typeof claimed === 'string' && !sameText(claimed.toLowerCase(), bodySha256(opts.body))) {
    return fail('body_hash_mismatch', 'request_body_sha256 does not match the raw body');
  }
  return {
    ok: true, kid,
    claims: { iat, exp, aud: payload.aud as string | string[], request_body_sha256: typeof claimed === 'string' ? claimed : undefined },
  };
}
