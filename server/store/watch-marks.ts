// Kiosks watching payments, kept where every proxy on the database sees them (migration 0020): a payment's
// `watched_until` (a kiosk read it) and a terminal's `stream_until` (its kiosk's event stream is open on some
// instance). Timestamps are ISO-8601 UTC text, compared as strings.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

// An `expired` payment's late re-checks keep their slow pace whoever watches (poll-cadence.ts regimeOf).
const OPEN_PAYMENT = ['created', 'pending', 'unknown'] as const;

export async function markPaymentWatched(db: Kysely<Database>, id: string, until: string): Promise<void> {
  await db
    .updateTable('payments')
    .set({ watched_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('watched_until', 'is', null), eb('watched_until', '<', until)]))
    .execute();
}

/** One UPDATE for every terminal whose stream is open on this instance. */
export async function markStreamsOpen(db: Kysely<Database>, terminalIds: readonly string[], until: string): Promise<void> {
  if (terminalIds.length === 0) return;
  await db.updateTable('terminals').set({ stream_until: until }).where('id', 'in', terminalIds).execute();
}

/** The kiosk's stream closed on this instance and no other stream of it is open here. */
export async function clearStreamMark(db: Kysely<Database>, terminalId: string): Promise<void> {
  await db.updateTable('terminals').set({ stream_until: null }).where('id', '=', terminalId).execute();
}

/** The payments `owner` holds the lease of that a kiosk watches now through any instance, with until when
 *  (the later of the payment's read mark and its terminal's stream mark). */
export async function watchedLeasedPayments(db: Kysely<Database>, owner: string, now: string): Promise<{ id: string; until: string }[]> {
  const rows = await db
    .selectFrom('payments as p')
    .leftJoin('terminals as t', 't.id', 'p.terminal_id')
    .select(['p.id as id', 'p.watched_until as watchedUntil', 't.stream_until as streamUntil'])
    .where('p.lease_owner', '=', owner)
    .where('p.status', 'in', OPEN_PAYMENT)
    .where((eb) => eb.or([eb('p.watched_until', '>', now), eb('t.stream_until', '>', now)]))
    .execute();
  return rows.map((r) => {
    const marks = [r.watchedUntil, r.streamUntil].filter((m): m is string => typeof m === 'string' && m > now);
    return { id: r.id, until: marks.sort().at(-1)! };
  });
}
