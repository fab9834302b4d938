// The event bus on Postgres, where several proxy instances share one database. A change committed here is
// delivered to this instance's streams at once (EventBus.publish, after the commit), and every applied event
// row also sends a NOTIFY in its own transaction (store/event-notify.ts). Each instance LISTENs on one
// dedicated connection (pg-listener.ts) and pushes what other instances committed to its own streams.
//
// - Own events come back as notifications too: their ids are remembered at publish and skipped.
// - A notification names an event; the push carries the payment as it is now, with the id of its latest
//   applied event (what a Last-Event-ID replay sends), both read in one statement, so each id goes with
//   the state it produced; a later notification for an event already covered is skipped without a query. Streams drop what they already sent per payment (routes/events.ts).
// - Notifications are handled one at a time, in the order Postgres delivered them (commit order).
// - A customer's "Call staff" goes on the same channel (its own payload shape, sent after its row committed):
//   the other instances read the call and push it to their streams of the store; a missed one is still on
//   the Attention list.
// - After a reconnect, the bus catches up from the event log for every terminal with a stream here: the
//   latest applied event per payment after the last id it had settled (Last-Event-ID logic). Ids come from a
//   sequence taken at insert, so a transaction can commit after one with a higher id; "settled" is the highest
//   id seen at least CATCH_UP_OVERLAP_MS before the connection was lost, which covers any transaction shorter
//   than that. What the overlap replays twice, streams drop.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import {
  decodeNotice,
  decodeStaffCallNotice,
  notifyStaffCall,
  PAYMENT_EVENTS_CHANNEL,
  type EventNotice,
  type StaffCallNotice,
} from '../store/event-notify.ts';
import { getStaffCall, toStaffCallView } from '../store/self-checkout.ts';
import { latestAppliedSinceFor, maxEventId, paymentWithLatestEvent } from '../store/events.ts';
import type { Database } from '../store/schema.ts';
import { EventBus, type PaymentUpdate, type StaffCallAlert } from './bus.ts';
import { PgListener, type ListenerOptions } from './pg-listener.ts';

export const CATCH_UP_OVERLAP_MS = 10_000;
/** How many payments' last pushed ids (and own event ids) are remembered; older ones cost a query at most. */
const REMEMBER = 10_000;

export interface PushObserver {
  /** A change committed on another instance was pushed to this instance's streams, `seconds` after its commit. */
  pushed(seconds: number): void;
  reconnected(): void;
}

export interface PostgresBusOptions {
  db: Kysely<Database>;
  databaseUrl: string;
  log: FastifyBaseLogger;
  observer?: PushObserver;
  listener?: Partial<Omit<ListenerOptions, 'connectionString' | 'channel'>>;
}

export class PostgresEventBus extends EventBus {
  private readonly listener: PgListener;
  /** This instance, to skip its own staff-call notices. */
  private readonly instance = randomUUID();
  /** Event ids published by this instance whose notification has not come back yet. */
  private readonly own = new Set<number>();
  /** Per payment, the highest event id pushed from a notification or catch-up (skips stale notifications). */
  private readonly pushedUpTo = new Map<string, number>();
  /** Ids seen in the last CATCH_UP_OVERLAP_MS, oldest first; `settled` is the highest id older than that. */
  private recent: { id: number; at: number }[] = [];
  private settled = 0;
  /** Where to catch up from once the listener is back; null while connected. */
  private resumeFrom: number | null = null;
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly opts: PostgresBusOptions) {
    super();
    this.listener = new PgListener(
      { ...opts.listener, connectionString: opts.databaseUrl, channel: PAYMENT_EVENTS_CHANNEL },
      {
        notification: (payload) => {
          const call = decodeStaffCallNotice(payload);
          if (call) {
            if (call.from !== this.instance) this.enqueue(() => this.onStaffCallNotice(call));
            return;
          }
          const notice = decodeNotice(payload);
          if (notice) this.enqueue(() => this.onNotice(notice));
        },
        connected: (first) => {
          // The first connection catches up too: streams may have opened while the database was still down.
          const since = this.resumeFrom ?? this.settledId();
          this.resumeFrom = null;
          if (!first) {
            this.opts.observer?.reconnected();
            this.opts.log.info({ since }, 'event listener reconnected; catching up');
          }
          this.enqueue(() => this.catchUp(since));
        },
        disconnected: (err) => {
          // Frozen now: a long outage must not let ids seen before it age into "settled".
          this.resumeFrom = Math.min(this.resumeFrom ?? Infinity, this.settledId());
          this.opts.log.warn({ err }, 'event listener lost its connection; reconnecting');
        },
      },
    );
  }

  /** Pushed here at once, and announced to the other instances (their streams of the same store). */
  override publishStaffCall(alert: StaffCallAlert): void {
    super.publishStaffCall(alert);
    const notice = { storeId: alert.storeId, callId: alert.frame.call.id, kind: alert.frame.kind, from: this.instance };
    notifyStaffCall(this.opts.db, notice).catch((err: unknown) => this.opts.log.error({ err }, 'staff call notify failed'));
  }

  private async onStaffCallNotice(n: StaffCallNotice): Promise<void> {
    const row = await getStaffCall(this.opts.db, n.callId);
    if (row) super.publishStaffCall({ storeId: n.storeId, frame: { kind: n.kind, call: toStaffCallView(row) } });
  }

  override publish(update: PaymentUpdate): void {
    remember(this.own, update.eventId);
    this.seen(update.eventId);
    this.pushed(update.payment.id, update.eventId);
    super.publish(update);
  }

  override async start(): Promise<void> {
    // Where a stream opened before the first LISTEN would be caught up from.
    this.settled = await maxEventId(this.opts.db);
    await this.listener.start();
  }

  override async close(): Promise<void> {
    await this.listener.close();
    await this.work;
  }

  /** The LISTEN session's backend pid; null while it is down. */
  get listenerPid(): number | null {
    return this.listener.backendPid;
  }

  override async listenerReady(timeoutMs: number): Promise<boolean> {
    return this.listener.ping(timeoutMs);
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((err: unknown) => this.opts.log.error({ err }, 'event push failed'));
  }

  private async onNotice(n: EventNotice): Promise<void> {
    this.seen(n.eventId);
    if (this.own.delete(n.eventId)) return;
    if (this.listenerCount(n.terminalId) === 0) return;
    if ((this.pushedUpTo.get(n.paymentId) ?? 0) >= n.eventId) return;
    if (await this.pushCurrent(n.paymentId)) this.opts.observer?.pushed(Math.max(0, (Date.now() - n.at) / 1000));
  }

  private async catchUp(since: number): Promise<void> {
    for (const row of await latestAppliedSinceFor(this.opts.db, this.watchedTerminals(), since)) {
      this.seen(row.id);
      if ((this.pushedUpTo.get(row.paymentId) ?? 0) < row.id) await this.pushCurrent(row.paymentId);
    }
  }

  /** Pushes the payment as it is now under its latest applied event id. */
  private async pushCurrent(paymentId: string): Promise<boolean> {
    const found = await paymentWithLatestEvent(this.opts.db, paymentId);
    if (!found) return false;
    this.pushed(paymentId, found.eventId);
    this.deliver(found);
    return true;
  }

  private pushed(paymentId: string, eventId: number): void {
    const before = this.pushedUpTo.get(paymentId) ?? 0;
    this.pushedUpTo.delete(paymentId);
    this.pushedUpTo.set(paymentId, Math.max(before, eventId));
    if (this.pushedUpTo.size > REMEMBER) this.pushedUpTo.delete(this.pushedUpTo.keys().next().value!);
  }

  private seen(id: number): void {
    this.recent.push({ id, at: Date.now() });
    this.settledId();
  }

  private settledId(): number {
    const horizon = Date.now() - CATCH_UP_OVERLAP_MS;
    let i = 0;
    while (i < this.recent.length && this.recent[i].at < horizon) this.settled = Math.max(this.settled, this.recent[i++].id);
    if (i > 0) this.recent = this.recent.slice(i);
    return this.settled;
  }
}

function remember(set: Set<number>, id: number): void {
  set.add(id);
  if (set.size > REMEMBER) set.delete(set.values().next().value!);
}
