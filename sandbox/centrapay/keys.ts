// The simulator's notification signing key (spec §10): a P-256 key made at start (or given, to pin test
// vectors), published at a JWKS endpoint like auth.centrapay.com's.
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { publicJwk, type Jwks } from './sign.ts';

export interface SimSigner {
  kid: string;
  privateKey: KeyObject;
  jwks(): Jwks;
}

export async function createSimSigner(opts: { privateKeyPem?: string; kid?: string } = {}): Promise<SimSigner> {
  const privateKey = opts.privateKeyPem
    ? createPrivateKey(opts.privateKeyPem)
    : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  // Dated like Centrapay's kid (20191127-07baec395), so rotation in tests looks like the real thing.
  const kid = opts.kid ?? `sim-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(5).toString('hex').slice(0, 9)}`;
  const jwk = await publicJwk(privateKey, kid);
  return { kid, privateKey, jwks: () => ({ keys: [jwk] }) };
}
