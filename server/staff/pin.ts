// Staff PIN hashing: scrypt with a random 16-byte salt per hash, stored as
// `scrypt$N$r$p$<salt b64>$<hash b64>`. A 4–12 digit PIN is a weak secret whatever we do; the hash keeps a
// copied database from handing out PINs outright, and the wrong-PIN limits (throttle.ts: per tablet, store and
// staff PIN, counted before this slow check runs) are what stop guessing. Comparison is constant-time.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16_384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

export const PIN_SHAPE = /^\d{4,12}$/;

function scrypt(pin: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(pin, salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPin(pin: string): Promise<string> {
  if (!PIN_SHAPE.test(pin)) throw new Error('A PIN is 4 to 12 digits');
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, KEY_LEN, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** false for a wrong PIN and for a stored value we cannot read (never throws on bad input). */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (!n || !r || !p || salt.length === 0 || expected.length === 0 || n > 1_048_576) return false;
  const key = await scrypt(pin, salt, expected.length, { N: n, r, p, maxmem: 256 * n * r + 1_048_576 });
  return timingSafeEqual(key, expected);
}
