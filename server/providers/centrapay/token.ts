// Centrapay webhook tokens (spec §10): ES256 JWTs in the `Authorization` header, carrying
// `request_body_sha256` of the raw body and `aud` = the receiver's webhook base URL. jose verifies the JWS
// (ES256 only, the key named by `kid` in Centrapay's JWKS); the claims are checked here, because the docs
// write iat/exp as numeric strings, which a standard JWT claim validator refuses.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  compactVerify,
  createLocalJWKSet,
  errors,
  type CompactVerifyResult,
  type CryptoKey,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose';

/** Finds the verification key for a token's header (a jose local or remote JWKS). */
export type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

export interface NotificationClaims {
  iat: number;
  exp: number;
  aud: string | string[];
  request_body_sha256?: string;
}

export type JwtFailure =
  | 'missing_token'
  | 'malformed'
  | 'unsupported_alg'
  | 'unknown_kid'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'body_hash_mismatch'
  | 'missing_body_hash';

export type JwtCheck = { ok: true; kid: string; claims: NotificationClaims } | { ok: false; reason: JwtFailure; message: string };

/** Lower-case hex SHA-256 of the exact bytes sent (never of a re-serialised object). */
export function bodySha256(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
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

function failureOf(err: InstanceType<typeof errors.JOSEError>): JwtFailure {
  if (err instanceof errors.JWSInvalid) return 'malformed';
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return 'unsupported_alg';
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown_kid';
  return 'bad_signature';
}

// Only ES256: never let the token choose `none` or an HMAC keyed with our public key.
const ONLY_ES256 = { algorithms: ['ES256'] };

async function verifyJws(token: string, keys: KeyResolver): Promise<CompactVerifyResult> {
  // Keys rotate by kid (§10): a token that names none is not matched against whatever key happens to be there.
  const byKid: KeyResolver = async (header, jws) => {
    if (typeof header.kid !== 'string' || header.kid === '') throw new errors.JWKSNoMatchingKey();
    return keys(header, jws);
  };
  try {
    return await compactVerify(token, byKid, ONLY_ES256);
  } catch (err) {
    if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err;
    // The same kid twice in the set: any of them may be the signer (jose's documented way through).
    for await (const key of err) {
      try {
        return await compactVerify(token, key, ONLY_ES256);
      } catch (e) {
        if (!(e instanceof errors.JWSSignatureVerificationFailed)) throw e;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

/** Checks a notification as §10 says: ES256 signature by the JWKS key named in `kid`, exp/iat window,
 *  `aud` equal to our webhook base URL, and the SHA-256 of the raw body. `Bearer ` prefix is optional
 *  (whether Centrapay sends it is unconfirmed). Errors other than a refusal (e.g. the key set could not be
 *  downloaded) are thrown, not turned into a verdict. */
export async function verifyNotificationJwt(opts: {
  authorization: string | undefined;
  body: string | Uint8Array;
  jwks: JSONWebKeySet | KeyResolver;
  audience: string;
  nowSec?: number;
  /** Grace after exp, seconds. Default 0. */
  leewaySec?: number;
}): Promise<JwtCheck> {
  const fail = (reason: JwtFailure, message: string): JwtCheck => ({ ok: false, reason, message });
  const token = opts.authorization?.trim().replace(/^Bearer\s+/i, '');
  if (!token) return fail('missing_token', 'no JWT in the Authorization header');
  let verified: CompactVerifyResult;
  try {
    verified = await verifyJws(token, typeof opts.jwks === 'function' ? opts.jwks : createLocalJWKSet(opts.jwks));
  } catch (err) {
    if (err instanceof errors.JOSEError) return fail(failureOf(err), err.message);
    throw err;
  }
  let payload: Record<string, unknown> | undefined;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(verified.payload));
    payload = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    payload = undefined;
  }
  if (!payload) return fail('malformed', 'JWT payload is not a JSON object');
  const kid = verified.protectedHeader.kid!;

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
    ok: true,
    kid,
    claims: { iat, exp, aud: payload.aud as string | string[], request_body_sha256: typeof claimed === 'string' ? claimed : undefined },
  };
}
