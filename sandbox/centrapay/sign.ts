// The simulator's side of Centrapay webhook tokens (spec §10): ES256 JWTs signed with jose, carrying
// `request_body_sha256` of the exact body and `aud` = the receiver's webhook base URL, and the public key
// published as a JWK for the JWKS endpoint. The receiving side is server/providers/centrapay/token.ts.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';
import { bodySha256 } from '../../server/providers/centrapay/token.ts';

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

/** The public half as a JWK for the JWKS endpoint. */
export async function publicJwk(key: KeyObject, kid: string): Promise<EcJwk> {
  const jwk = await exportJWK(createPublicKey(key));
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('Centrapay notification keys are P-256 EC keys');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, use: 'sig', alg: 'ES256' };
}

/** Signs a notification token (JWS ES256: jose writes the raw 64-byte r‖s signature, not DER). */
export function signNotificationJwt(opts: {
  privateKey: KeyObject;
  kid: string;
  audience: string;
  body?: string | Uint8Array;
  nowSec?: number;
  ttlSec?: number;
}): Promise<string> {
  const iat = opts.nowSec ?? Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {};
  // "absent if no body" (§10).
  if (opts.body !== undefined && opts.body.length > 0) claims.request_body_sha256 = bodySha256(opts.body);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: opts.kid, typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.ttlSec ?? 300))
    .setAudience(opts.audience)
    .sign(opts.privateKey);
}
