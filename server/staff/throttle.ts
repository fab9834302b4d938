// Wrong-PIN limits, kept in the database (pin_throttle rows) so a restart does not clear a lockout and every
// proxy on the same database shares it. One attempt counts against several scopes at once — the tablet, its
// store, and every staff member whose PIN would have authorised the action (a wrong guess is a wrong guess at
// each of their PINs) — and is refused while any of them is locked.
//
// Only wrong PINs are counted, and only once checked; a right PIN never costs an attempt, so no number of
// supervisors typing at once can lock anyone. What stops parallel guesses from all passing a check made before
// any of them is counted is the reservation: before the slow scrypt check an attempt reserves a slot in every
// scope (a pin_reservations row, under the scope rows' lock), and a scope hands out no more slots than it has
// attempts left (failures + checks in flight < limit). An attempt that finds no free slot waits for one, so
// at most `maxFailures` verdicts are ever given per lockout. The verdict is recorded and the slot freed in one
// transaction. A reservation lapses after `reservationMs`: a proxy that died mid-check leaves no failure
// behind, and its slot frees itself. A verdict reached after its reservation lapsed is not given (`lapsed`):
// another attempt may have had the slot by then.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { PinLimit, PinLimits } from '../config/staff.ts';
import {
  endReservations,
  insertReservations,
  liveReservations,
  lockThrottleRows,
  saveThrottleRow,
  type PinThrottleRow,
} from '../store/pin-throttle.ts';
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

/** A PIN check let through: it holds one attempt in every scope until settled or until it lapses. */
export interface Slot {
  attemptId: string;
  keys: ScopeKey[];
}

export type Attempt = { granted: true; slot: Slot } | { granted: false; lock: Lock };
/** No free slot: wait `retryInMs` (at most) and ask again. */
export type Busy = { granted: false; busy: true; retryInMs: number };

export type Failure = { lapsed: true } | { lapsed: false; attemptsLeft: number; lock: Lock | null };

export interface ThrottleOptions {
  /** How long a check in flight holds its slot (a scrypt check takes well under a second). */
  reservationMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const longest = (locks: Lock[]) => locks.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a));
const idOf = (k: { scope: string; key: string }) => `${k.scope}\u0000${k.key}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Waiting for a slot: the checks holding them end within a scrypt check, usually tens of milliseconds.
const FIRST_WAIT_MS = 20;
const MAX_WAIT_MS = 250;

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
  private readonly reservationMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: PinLimits,
    private readonly now: () => number = Date.now,
    options: Partial<ThrottleOptions> = {},
  ) {
    this.reservationMs = options.reservationMs ?? 30_000;
  }

  /** Reserves one attempt in every scope, waiting while every free one is held by a check in flight; or says
   *  which lock refuses it (nothing is counted then). Busy only if no slot came free within a reservation's
   *  life (every check in flight ends or lapses by then, so only a stream of new ones can keep it busy). */
  async take(keys: ScopeKey[]): Promise<Attempt | Busy> {
    const giveUpAt = Date.now() + this.reservationMs;
    let wait = FIRST_WAIT_MS;
    for (;;) {
      // Busy is the answer only from a try that began after every reservation seen at the start had lapsed.
      // Judged by when the try ended, a slow transaction that began just before the last dead check lapsed
      // made a right PIN fail with pin_busy although its slot was free by then.
      const triedAt = Date.now();
      const attempt = await this.tryTake(keys);
      if (!('busy' in attempt) || triedAt >= giveUpAt) return attempt;
      await sleep(Math.max(1, Math.min(wait, attempt.retryInMs, giveUpAt - Date.now())));
      wait = Math.min(MAX_WAIT_MS, wait * 2);
    }
  }

  /** One try at `take`: a slot, the lock that refuses it, or busy (every attempt left is being checked). */
  async tryTake(keys: ScopeKey[]): Promise<Attempt | Busy> {
    const now = this.now();
    return this.db.transaction().execute(async (trx): Promise<Attempt | Busy> => {
      const rows = await this.currentRows(trx, keys, now);
      const locks = rows
        .filter((r) => r.locked_until !== null)
        .map((r) => ({ scope: r.scope as ThrottleScope, retryAfterMs: Date.parse(r.locked_until!) - now }));
      if (locks.length > 0) return { granted: false, lock: longest(locks) };

      const inFlight = await liveReservations(trx, rows, iso(now));
      if (rows.some((r) => r.failures + (inFlight.get(idOf(r)) ?? 0) >= this.limitOf(r).maxFailures)) {
        return { granted: false, busy: true, retryInMs: this.reservationMs };
      }
      const slot: Slot = { attemptId: randomUUID(), keys: rows.map((r) => ({ scope: r.scope as ThrottleScope, key: r.key })) };
      await insertReservations(
        trx,
        slot.keys.map((k) => ({ ...k, attemptId: slot.attemptId })),
        iso(now + this.reservationMs),
      );
      return { granted: true, slot };
    });
  }

  /** The PIN was right: frees the slot (no attempt is counted) and fully resets the scopes in `reset`.
   *  false when the reservation had lapsed: the verdict must not be given. */
  async succeeded(slot: Slot, reset: ThrottleScope[]): Promise<boolean> {
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const rows = await lockThrottleRows(trx, slot.keys, iso(now));
      if (!(await endReservations(trx, slot.attemptId, slot.keys.length, iso(now)))) return false;
      for (const r of rows.filter((row) => reset.includes(row.scope as ThrottleScope))) {
        await saveThrottleRow(trx, {
          ...r,
          failures: 0,
          lockouts: 0,
          locked_until: null,
          window_started_at: iso(now),
          updated_at: iso(now),
        });
      }
      return true;
    });
  }

  /** The PIN was wrong (or its holder's role too low): counts one failure in every scope, locking each scope
   *  whose limit it reaches, and frees the slot. */
  async failed(slot: Slot): Promise<Failure> {
    const now = this.now();
    return this.db.transaction().execute(async (trx): Promise<Failure> => {
      const rows = await this.currentRows(trx, slot.keys, now);
      if (!(await endReservations(trx, slot.attemptId, slot.keys.length, iso(now)))) return { lapsed: true };
      let attemptsLeft = Number.MAX_SAFE_INTEGER;
      const engaged: Lock[] = [];
      for (const r of rows) {
        const limit = this.limitOf(r);
        const next: PinThrottleRow = { ...r, failures: r.failures + 1, updated_at: iso(now) };
        if (next.locked_until === null && next.failures >= limit.maxFailures) {
          const ms = Math.min(limit.maxLockoutMs, limit.lockoutMs * 2 ** r.lockouts);
          next.locked_until = iso(now + ms);
          next.lockouts = r.lockouts + 1;
          engaged.push({ scope: r.scope as ThrottleScope, retryAfterMs: ms });
        }
        await saveThrottleRow(trx, next);
        attemptsLeft = Math.min(attemptsLeft, Math.max(0, limit.maxFailures - next.failures));
      }
      return { lapsed: false, attemptsLeft, lock: engaged.length > 0 ? longest(engaged) : null };
    });
  }

  /** No verdict was reached (the check itself failed): frees the slot, counting nothing. */
  async release(slot: Slot): Promise<void> {
    const now = iso(this.now());
    await this.db.transaction().execute(async (trx) => {
      await lockThrottleRows(trx, slot.keys, now);
      await endReservations(trx, slot.attemptId, slot.keys.length, now);
    });
  }

  private async currentRows(trx: Transaction<Database>, keys: ScopeKey[], now: number): Promise<PinThrottleRow[]> {
    return (await lockThrottleRows(trx, keys, iso(now))).map((r) => current(r, this.limitOf(r), now));
  }

  private limitOf(row: PinThrottleRow): PinLimit {
    const limit = this.limits[row.scope as ThrottleScope];
    if (!limit) throw new Error(`No PIN limit for scope ${row.scope}`);
    return limit;
  }
}
