// The store's business day: a calendar date in the store's IANA timezone. Receipt numbers, "today" in the
// history and the day reports follow it, never the server's or the tablet's clock zone. Pure (Intl only).

/** Whether `tz` is an IANA timezone this runtime knows (e.g. "Pacific/Auckland"). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function parts(at: Date, tz: string): Record<string, number> {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** YYYY-MM-DD of instant `at` in `tz`. */
export function businessDay(at: Date, tz: string): string {
  const p = parts(at, tz);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Milliseconds `tz` is ahead of UTC at instant `ms`. */
function offsetAt(ms: number, tz: string): number {
  const p = parts(new Date(ms), tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant a business day (YYYY-MM-DD) starts in `tz` (local midnight; DST-safe to the second). */
export function dayStart(day: string, tz: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the guess can differ from the offset at the answer across a DST change.
  let guess = naive - offsetAt(naive, tz);
  guess = naive - offsetAt(guess, tz);
  return new Date(guess);
}

/** The day after YYYY-MM-DD (calendar arithmetic, no timezone involved). */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
