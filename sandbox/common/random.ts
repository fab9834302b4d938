// Crypto-random identifiers for simulators: ids and wallet codes must not be guessable, even in a demo.
import { randomInt } from 'node:crypto';

/** n random decimal digits. */
export function randomDigits(n: number): string {
  let s = '';
  while (s.length < n) s += String(randomInt(0, 1_000_000_000)).padStart(9, '0');
  return s.slice(0, n);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** n random characters from `alphabet` (default: base62, like opaque provider ids). */
export function randomChars(n: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(0, alphabet.length)];
  return s;
}
