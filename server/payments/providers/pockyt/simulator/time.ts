// Pockyt works in UTC+8 (spec §5): `yyyy-MM-dd HH:mm:ss` in responses, `yyyyMMddHHmmss` in IPNs.
import { randomInt } from 'node:crypto';

const UTC8_MS = 8 * 3600_000;

export function utc8(ms: number): string {
  return new Date(ms + UTC8_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function utc8Compact(ms: number): string {
  return utc8(ms).replace(/[-: ]/g, '');
}

/** n random decimal digits (crypto-random: ids and wallet codes must not be guessable in a demo either). */
export function randomDigits(n: number): string {
  let s = '';
  while (s.length < n) s += String(randomInt(0, 1_000_000_000)).padStart(9, '0');
  return s.slice(0, n);
}
