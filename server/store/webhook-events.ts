// webhook_events: one row per verified provider notification (raw body kept for audit, with customer payment
// codes masked by the caller — payments/audit-copy.ts). The unique index on
// (provider, event_id) is the de-duplication — a retried or replayed delivery finds the first row and only
// bumps its `duplicates` count.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface WebhookEvent {
  id: number;
  provider: string;
  eventId: string;
  paymentId: string | null;
  rawBody: string;
  verified: boolean;
  outcome: string;
  duplicates: number;
  receivedAt: string;
  updatedAt: string;
}

function toEvent(r: Database['webhook_events'] & { id: number }): WebhookEvent {
  return {
    id: Number(r.id),
    provider: r.provider,
    eventId: r.event_id,
    paymentId: r.payment_id,
    rawBody: r.raw_body,
    verified: Number(r.verified) === 1,
    outcome: r.outcome,
    duplicates: Number(r.duplicates),
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  };
}

/** Inserts the first delivery; on a repeat, counts it and returns the existing row with `first: false`. */
export async function recordDelivery(
  db: Db,
  e: { provider: string; eventId: string; rawBody: string; outcome: string },
): Promise<{ first: boolean; event: WebhookEvent }> {
  const now = new Date().toISOString();
  const inserted = await db
    .insertInto('webhook_events')
    .values({
      provider: e.provider,
      event_id: e.eventId,
      payment_id: null,
      raw_body: e.rawBody,
      verified: 1,
      outcome: e.outcome,
      duplicates: 0,
      received_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { first: true, event: (await getWebhookEvent(db, e.provider, e.eventId))! };
  await db
    .updateTable('webhook_events')
    .set((eb) => ({ duplicates: eb('duplicates', '+', 1), updated_at: now }))
    .where('provider', '=', e.provider)
    .where('event_id', '=', e.eventId)
    .execute();
  return { first: false, event: (await getWebhookEvent(db, e.provider, e.eventId))! };
}

export async function setWebhookOutcome(db: Db, id: number, outcome: string, paymentId: string | null): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({ outcome, payment_id: paymentId, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function getWebhookEvent(db: Db, provider: string, eventId: string): Promise<WebhookEvent | undefined> {
  const r = await db
    .selectFrom('webhook_events')
    .selectAll()
    .where('provider', '=', provider)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return r ? toEvent(r as never) : undefined;
}

export async function listWebhookEvents(db: Db, provider: string): Promise<WebhookEvent[]> {
  const rows = await db.selectFrom('webhook_events').selectAll().where('provider', '=', provider).orderBy('id', 'asc').execute();
  return rows.map((r) => toEvent(r as never));
}
