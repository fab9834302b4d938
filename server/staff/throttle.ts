// Wrong-PIN limits, kept in the database (pin_throttle rows) so a restart does not clear a lockout and every
// proxy on the same database shares it. One attempt counts against several scopes at once — the tablet, its
// store, and every staff member whose PIN would have authorised the action (a wrong guess is a wrong guess at
// each of their PINs) — and is refused while any of them is locked.
//
// The attempt is counted BEFORE the PIN is checked: `take` locks the rows, refuses if a scope is locked,
// otherwise counts one failure in every scope (locking a scope whose limit it reaches) and commits; only
// then does the caller run the slow scrypt check. So N parallel guesses cannot all pass a check made before
// any of them is counted: at most `maxFailures` are ever checked. A correct PIN then gives its own attempt
// back (`succeeded`) and resets only what it is entitled to (see gate.ts); it never clears anyone else's
// failures, so a known low-role PIN cannot be used to wipe the counter between guesses.
import type { Kysely } from 'kysely';
import type { PinLimit, PinLimits } from '../config/staff.ts';
import { lockThrottleRows, saveThrottleRow, type PinThrottleRow } from '../store/pin-throttle.ts';
import type { Database } from '../store/schema.ts';

export type ThrottleScope = keyof PinLimits;

export interface ScopeKey {
  scope: ThrottleScope;
  key: string;
}

export interface Lock {
  scope: ThrottleScope;
  retryAfterMs: number;
}

/** An attempt let through to the PIN check. It already counts as a failure until `succeeded` gives it back. */
export interface Slot {
  taken: (ScopeKey & { windowStartedAt: string; engagedLock: string | null })[];
  /** Attempts left in the tightest scope after this one. */
  attemptsLeft: number;
  /** The lock this attempt engaged by taking a scope's last attempt (it stands unless the PIN is right). */
  lock: Lock | null;
}

export type Attempt = { granted: true; slot: Slot } | { granted: false; lock: Lock };

const iso = (ms: number) => new Date(ms).toISOString();
const longest = (locks: Lock[]) => locks.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a));

/** The row as it stands now: an expired lock or window starts a fresh count. */
function current(row: PinThrottleRow, limit: PinLimit, now: number): PinThrottleRow {
  if (row.locked_until !== null && Date.parse(row.locked_until) <= now) {
    return { ...row, failures: 0, locked_until: null, window_started_at: iso(now) };
  }
  if (row.locked_until === null && limit.windowMs !== null && Date.parse(row.window_started_at) + limit.windowMs <= now) {
    return { ...row, failures: 0, window_started_at: iso(now) };
  }
  return row;
}

export class PinThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: PinLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one attempt in every scope, or says which lock refuses it (nothing is counted then). */
  async take(keys: ScopeKey[]): Promise<Attempt> {
    const now = this.now();
    return this.db.transaction().execute(async (trx): Promise<Attempt> => {
      const rows = (await lockThrottleRows(trx, keys, iso(now))).map((r) => current(r, this.limitOf(r), now));
      const locks = rows
        .filter((r) => r.locked_until !== null)
        .map((r) => ({ scope: r.scope as ThrottleScope, retryAfterMs: Date.parse(r.locked_until!) - now }));
      if (locks.length > 0) return { granted: false, lock: longest(locks) };

      const slot: Slot = { taken: [], attemptsLeft: Number.MAX_SAFE_INTEGER, lock: null };
      const engaged: Lock[] = [];
      for (const r of rows) {
        const limit = this.limitOf(r);
        const next: PinThrottleRow = { ...r, failures: r.failures + 1, updated_at: iso(now) };
        if (next.failures >= limit.maxFailures) {
          const ms = Math.min(limit.maxLockoutMs, limit.lockoutMs * 2 ** r.lockouts);
          next.locked_until = iso(now + ms);
          next.lockouts = r.lockouts + 1;
          engaged.push({ scope: r.scope as ThrottleScope, retryAfterMs: ms });
        }
        await saveThrottleRow(trx, next);
        slot.taken.push({
          scope: r.scope as ThrottleScope,
          key: r.key,
          windowStartedAt: next.window_started_at,
          engagedLock: next.locked_until,
        });
        slot.attemptsLeft = Math.min(slot.attemptsLeft, Math.max(0, limit.maxFailures - next.failures));
      }
      slot.lock = engaged.length > 0 ? longest(engaged) : null;
      return { granted: true, slot };
    });
  }

  /** The PIN was right: gives the attempt back in every scope (lifting a lock it engaged itself) and fully
   *  resets the scopes in `reset`. */
  async succeeded(slot: Slot, reset: ThrottleScope[]): Promise<void> {
    const now = iso(this.now());
    await this.db.transaction().execute(async (trx) => {
      for (const r of await lockThrottleRows(trx, slot.taken, now)) {
        const mine = slot.taken.find((t) => t.scope === r.scope && t.key === r.key)!;
        const next: PinThrottleRow = { ...r, updated_at: now };
        if (reset.includes(mine.scope)) {
          Object.assign(next, { failures: 0, lockouts: 0, locked_until: null, window_started_at: now });
        } else {
          // Only this attempt's own count: if the window has moved on since, it is no longer in it.
          if (r.window_started_at === mine.windowStartedAt) next.failures = Math.max(0, r.failures - 1);
          if (mine.engagedLock !== null && r.locked_until === mine.engagedLock) {
            next.locked_until = null;
            next.lockouts = Math.max(0, r.lockouts - 1);
          }
        }
        await saveThrottleRow(trx, next);
      }
    });
  }

  private limitOf(row: PinThrottleRow): PinLimit {
    const limit = this.limits[row.scope as ThrottleScope];
    if (!limit) throw new Error(`No PIN limit for scope ${row.scope}`);
    return limit;
  }
}
