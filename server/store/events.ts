// payment_events: the append-only history of every status change attempt, applied or refused (payloads
// arrive with customer payment codes masked — payments/audit-copy.ts, via transition.ts). The ids of
// applied rows double as SSE event ids, so a kiosk can resume its stream with Last-Event-ID.
import { inspect } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import { notifyEvent } from './event-notify.ts';
import { toPayment, type Payment } from './payments.ts';
import type { Database } from './schema.ts';

export type EventSource = 'sync' | 'poll' | 'webhook' | 'reconciler' | 'cashier' | 'create';

export interface NewEvent {
  paymentId: string;
  terminalId: string;
  from: string | null;
  to: string;
  source: EventSource;
  applied: boolean;
  payload: unknown;
  now: string;
}

type Db = Kysely<Database> | Transaction<Database>;

function serialise(payload: unknown): string | null {
  if (payload === undefined) return null;
  try {
    return JSON.stringify(payload) ?? null;
  } catch {
    // Provider payloads are data; one we cannot serialise is still worth a trace in the audit row.
    return JSON.stringify({ unserialisable: inspect(payload, { depth: 3, breakLength: Infinity }) });
  }
}

export async function appendEvent(db: Db, e: NewEvent): Promise<number> {
  const row = await db
    .insertInto('payment_events')
    .values({
      payment_id: e.paymentId,
      terminal_id: e.terminalId,
      from_status: e.from,
      to_status: e.to,
      source: e.source,
      applied: e.applied ? 1 : 0,
      payload: serialise(e.payload),
      created_at: e.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  // Applied events are what kiosks are pushed; other instances learn of them when this transaction commits.
  if (e.applied) await notifyEvent(db, { terminalId: e.terminalId, paymentId: e.paymentId, eventId: id });
  return id;
}

export interface EventRow {
  id: number;
  paymentId: string;
  from: string | null;
  to: string;
  source: EventSource;
  applied: boolean;
  payload: unknown;
  createdAt: string;
}

export async function listPaymentEvents(db: Db, paymentId: string): Promise<EventRow[]> {
  const rows = await db.selectFrom('payment_events').selectAll().where('payment_id', '=', paymentId).orderBy('id', 'asc').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    paymentId: r.payment_id,
    from: r.from_status,
    to: r.to_status,
    source: r.source as EventSource,
    applied: Number(r.applied) === 1,
    payload: r.payload === null ? null : (JSON.parse(r.payload) as unknown),
    createdAt: r.created_at,
  }));
}

/** For SSE resume: the latest applied event per payment of this terminal after `afterId`, oldest first. */
export async function latestAppliedSince(db: Db, terminalId: string, afterId: number): Promise<{ id: number; paymentId: string }[]> {
  const rows = await db
    .selectFrom('payment_events')
    .select(['payment_id', (eb) => eb.fn.max('id').as('id')])
    .where('terminal_id', '=', terminalId)
    .where('applied', '=', 1)
    .where('id', '>', afterId)
    .groupBy('payment_id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), paymentId: r.payment_id })).sort((a, b) => a.id - b.id);
}

/** The same for several terminals at once (an instance catching up after its listening connection was down). */
export async function latestAppliedSinceFor(
  db: Db,
  terminalIds: string[],
  afterId: number,
): Promise<{ id: number; paymentId: string; terminalId: string }[]> {
  if (terminalIds.length === 0) return [];
  const rows = await db
    .selectFrom('payment_events')
    .select(['payment_id', 'terminal_id', (eb) => eb.fn.max('id').as('id')])
    .where('terminal_id', 'in', terminalIds)
    .where('applied', '=', 1)
    .where('id', '>', afterId)
    .groupBy(['payment_id', 'terminal_id'])
    .execute();
  return rows.map((r) => ({ id: Number(r.id), paymentId: r.payment_id, terminalId: r.terminal_id })).sort((a, b) => a.id - b.id);
}

/** The payment as it is now with the id of its latest applied event (the SSE id that goes with that state),
 *  read in one statement: one snapshot, so the state and the id always belong together. */
export async function paymentWithLatestEvent(db: Db, paymentId: string): Promise<{ payment: Payment; eventId: number } | null> {
  const row = await db
    .selectFrom('payments')
    .selectAll('payments')
    .select((eb) =>
      eb
        .selectFrom('payment_events')
        .select((e) => e.fn.max('payment_events.id').as('m'))
        .whereRef('payment_events.payment_id', '=', 'payments.id')
        .where('payment_events.applied', '=', 1)
        .as('latest_event_id'),
    )
    .where('payments.id', '=', paymentId)
    .executeTakeFirst();
  if (!row || row.latest_event_id === null || row.latest_event_id === undefined) return null;
  const { latest_event_id, ...payment } = row;
  return { payment: toPayment(payment), eventId: Number(latest_event_id) };
}

/** The highest event id so far (where a newly started listener begins). */
export async function maxEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('payment_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return row?.id === null || row?.id === undefined ? 0 : Number(row.id);
}
