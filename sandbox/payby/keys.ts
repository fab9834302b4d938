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

/** DEMO ONLY key nobody issued: the simulator's `wrong_key` fault signs answers with it. A file, not made on
 *  first use: RSA key generation blocks the simulator for 0.1–0.3 s (seconds on a loaded machine), which made
 *  the faulted answer come after the adapter's timeout — a different verdict than the one under test. */
export const STRANGER_PRIVATE_KEY_FILE = fileURLToPath(new URL('stranger-private.pem', FIXTURES));

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
