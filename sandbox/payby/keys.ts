// Key material for demo mode and tests. The merchant pair is a committed DEMO ONLY fixture (it only opens the
// local simulator); the simulator's "PayBy platform" pair is made in memory at each start.
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const FIXTURES = new URL('./demo-keys/', import.meta.url);

/** Spec §2's example Partner-Id; what the simulator accepts in demo mode. */
export const DEMO_PARTNER_ID = '200000000888';

/** DEMO ONLY merchant key pair (sandbox/payby/README.md). Defaults for PAYBY_PRIVATE_KEY_FILE in demo mode. */
export const DEMO_MERCHANT_PRIVATE_KEY_FILE = fileURLToPath(new URL('demo-merchant-private.pem', FIXTURES));
export const DEMO_MERCHANT_PUBLIC_KEY_FILE = fileURLToPath(new URL('demo-merchant-public.pem', FIXTURES));

export interface PemKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh RSA-2048 pair (PKCS#8 / SPKI PEM), as PayBy's tooling makes them. */
export function generatePayByKeyPair(): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
