// pin_throttle rows (the wrong-PIN counters of staff/throttle.ts) and pin_reservations (the PIN checks in
// flight). Only ever read and written inside a transaction that first locks the pin_throttle rows it needs,
// so two proxies (or two requests) never both take the last attempt of a scope.
import type { Transaction } from 'kysely';
import type { Database, PinThrottleTable } from './schema.ts';

export type PinThrottleRow = PinThrottleTable;

export interface ThrottleKey {
  scope: string;
  key: string;
}

/** Creates the missing rows and locks all of them for the rest of `trx`, always in the same order (scope,
 *  then key) so two transactions locking overlapping sets cannot deadlock. The first statement is a write on
 *  purpose: on SQLite it takes the database write lock at once (a read-then-write transaction could find
 *  its snapshot stale), on Postgres the UPDATE holds each row lock until commit. */
export async function lockThrottleRows(trx: Transaction<Database>, keys: ThrottleKey[], nowIso: string): Promise<PinThrottleRow[]> {
  const sorted = [...new Map(keys.map((k) => [`${k.scope}\u0000${k.key}`, k])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, k]) => k);
  const rows: PinThrottleRow[] = [];
  for (const { scope, key } of sorted) {
    await trx
      .insertInto('pin_throttle')
      .values({ scope, key, failures: 0, window_started_at: nowIso, lockouts: 0, locked_until: null, updated_at: nowIso })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .execute();
    await trx.updateTable('pin_throttle').set({ updated_at: nowIso }).where('scope', '=', scope).where('key', '=', key).execute();
    const row = await trx
      .selectFrom('pin_throttle')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    rows.push({ ...row, failures: Number(row.failures), lockouts: Number(row.lockouts) });
  }
  return rows;
}

export async function saveThrottleRow(trx: Transaction<Database>, row: PinThrottleRow): Promise<void> {
  await trx
    .updateTable('pin_throttle')
    .set({
      failures: row.failures,
      window_started_at: row.window_started_at,
      lockouts: row.lockouts,
      locked_until: row.locked_until,
      updated_at: row.updated_at,
    })
    .where('scope', '=', row.scope)
    .where('key', '=', row.key)
    .execute();
}

export interface Reservation extends ThrottleKey {
  attemptId: string;
}

/** Drops the reservations of `keys` that have lapsed, and counts the live ones per `scope\u0000key`. */
export async function liveReservations(trx: Transaction<Database>, keys: ThrottleKey[], nowIso: string): Promise<Map<string, number>> {
  const live = new Map<string, number>();
  for (const { scope, key } of keys) {
    await trx.deleteFrom('pin_reservations').where('scope', '=', scope).where('key', '=', key).where('expires_at', '<=', nowIso).execute();
    const { n } = await trx
      .selectFrom('pin_reservations')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    live.set(`${scope}\u0000${key}`, Number(n));
  }
  return live;
}

export async function insertReservations(trx: Transaction<Database>, reservations: Reservation[], expiresAtIso: string): Promise<void> {
  if (reservations.length === 0) return;
  await trx
    .insertInto('pin_reservations')
    .values(reservations.map((r) => ({ scope: r.scope, key: r.key, attempt_id: r.attemptId, expires_at: expiresAtIso })))
    .execute();
}

/** Deletes an attempt's reservations; true when they were all still live (not lapsed, not dropped as lapsed). */
export async function endReservations(trx: Transaction<Database>, attemptId: string, expected: number, nowIso: string): Promise<boolean> {
  const live = await trx
    .selectFrom('pin_reservations')
    .select('scope')
    .where('attempt_id', '=', attemptId)
    .where('expires_at', '>', nowIso)
    .execute();
  await trx.deleteFrom('pin_reservations').where('attempt_id', '=', attemptId).execute();
  return live.length === expected;
}
