// Postgres NOTIFY of applied payment events, sent inside the transaction that writes the event row: Postgres
// delivers it to every listening instance only if and when that transaction commits, in commit order, and
// never for a rollback. The payload is deliberately small (Postgres caps it at 8000 bytes): which terminal,
// which payment, which event. A listener reads the payment itself, so nothing in the payload can be stale or
// carry a customer's data. SQLite is one process: its in-process bus needs no notification.
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

export const PAYMENT_EVENTS_CHANNEL = 'kiosk_payment_events';

export interface EventNotice {
  terminalId: string;
  paymentId: string;
  eventId: number;
  /** Date.now() when the notice was queued, just before the commit: the push-lag metric's start. */
  at: number;
}

export function encodeNotice(n: EventNotice): string {
  return JSON.stringify({ t: n.terminalId, p: n.paymentId, e: n.eventId, at: n.at });
}

/** null for a payload this code did not write (another version's, or a hand-typed NOTIFY). */
export function decodeNotice(payload: string | undefined): EventNotice | null {
  try {
    const v = JSON.parse(payload ?? '') as { t?: unknown; p?: unknown; e?: unknown; at?: unknown };
    if (typeof v.t !== 'string' || typeof v.p !== 'string' || !Number.isSafeInteger(v.e)) return null;
    return { terminalId: v.t, paymentId: v.p, eventId: v.e as number, at: typeof v.at === 'number' ? v.at : Date.now() };
  } catch {
    return null;
  }
}

function onPostgres(db: Kysely<Database> | Transaction<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Queues the notice in `db`'s transaction (Postgres only; a no-op on SQLite). */
export async function notifyEvent(db: Kysely<Database> | Transaction<Database>, n: Omit<EventNotice, 'at'>): Promise<void> {
  if (!onPostgres(db)) return;
  await sql`select pg_notify(${PAYMENT_EVENTS_CHANNEL}, ${encodeNotice({ ...n, at: Date.now() })})`.execute(db);
}

/** A customer's "Call staff" raised or answered on some instance (routes/self-checkout.ts): the listeners read
 *  the call and push it to their streams of the store. `from` is the sending instance, which pushed it itself. */
export interface StaffCallNotice {
  storeId: string;
  callId: string;
  kind: 'called' | 'answered';
  from: string;
}

export function encodeStaffCallNotice(n: StaffCallNotice): string {
  return JSON.stringify({ k: 'call', s: n.storeId, c: n.callId, d: n.kind, o: n.from });
}

/** null for anything else (payment notices decode with decodeNotice). */
export function decodeStaffCallNotice(payload: string | undefined): StaffCallNotice | null {
  try {
    const v = JSON.parse(payload ?? '') as { k?: unknown; s?: unknown; c?: unknown; d?: unknown; o?: unknown };
    if (v.k !== 'call' || typeof v.s !== 'string' || typeof v.c !== 'string' || typeof v.o !== 'string') return null;
    if (v.d !== 'called' && v.d !== 'answered') return null;
    return { storeId: v.s, callId: v.c, kind: v.d, from: v.o };
  } catch {
    return null;
  }
}

/** Sends the notice now (Postgres only; the call's row is already committed). */
export async function notifyStaffCall(db: Kysely<Database>, n: StaffCallNotice): Promise<void> {
  if (!onPostgres(db)) return;
  await sql`select pg_notify(${PAYMENT_EVENTS_CHANNEL}, ${encodeStaffCallNotice(n)})`.execute(db);
}
