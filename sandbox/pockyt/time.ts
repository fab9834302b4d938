// Pockyt works in UTC+8 (spec §5): `yyyy-MM-dd HH:mm:ss` in responses, `yyyyMMddHHmmss` in IPNs.
const UTC8_MS = 8 * 3600_000;

export function utc8(ms: number): string {
  return new Date(ms + UTC8_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function utc8Compact(ms: number): string {
  return utc8(ms).replace(/[-: ]/g, '');
}
