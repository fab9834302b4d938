// Fan-out of committed payment changes to SSE subscribers, keyed by terminal. Publishing happens only after
// the DB commit, so a subscriber never sees a state the store could still roll back.
// This class is the in-process bus, all SQLite (one process) needs. On Postgres, PostgresEventBus
// (pg-bus.ts) extends it with a LISTEN connection, so a change committed on any instance reaches the streams
// on every instance; app.ts picks one by dialect (create.ts).
import { EventEmitter } from 'node:events';
import type { StaffCallFrame } from '../../src/shared/self-checkout-api.ts';
import type { Payment } from '../store/payments.ts';

export interface PaymentUpdate {
  eventId: number;
  payment: Payment;
}

/** A customer's "Call staff" raised or answered (routes/self-checkout.ts), for every terminal of its store. */
export interface StaffCallAlert {
  storeId: string;
  frame: StaffCallFrame;
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  /** Store-wide alerts, apart from the per-terminal payment channel (watchedTerminals lists only those). */
  private readonly alerts = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
    this.alerts.setMaxListeners(0);
  }

  /** To this process's streams of the store's terminals. Never throws, like publish. */
  publishStaffCall(alert: StaffCallAlert): void {
    for (const listener of this.alerts.listeners(alert.storeId)) {
      try {
        (listener as (a: StaffCallAlert) => void)(alert);
      } catch {
        // that stream's own failure
      }
    }
  }

  subscribeStore(storeId: string, listener: (a: StaffCallAlert) => void): () => void {
    this.alerts.on(storeId, listener);
    return () => this.alerts.off(storeId, listener);
  }

  /** Never throws: the change is already committed, and one broken stream must not hide it from the rest. */
  publish(update: PaymentUpdate): void {
    this.deliver(update);
  }

  /** Hands the update to this process's subscribers of its terminal. */
  protected deliver(update: PaymentUpdate): void {
    for (const listener of this.emitter.listeners(update.payment.terminalId)) {
      try {
        (listener as (u: PaymentUpdate) => void)(update);
      } catch {
        // a subscriber's own failure (e.g. a socket that just closed) is its business
      }
    }
  }

  /** Returns the unsubscribe function; callers must call it when their stream closes. */
  subscribe(terminalId: string, listener: (u: PaymentUpdate) => void): () => void {
    this.emitter.on(terminalId, listener);
    return () => this.emitter.off(terminalId, listener);
  }

  listenerCount(terminalId: string): number {
    return this.emitter.listenerCount(terminalId);
  }

  /** Terminals with at least one subscriber in this process. */
  protected watchedTerminals(): string[] {
    return this.emitter.eventNames().filter((n): n is string => typeof n === 'string' && this.emitter.listenerCount(n) > 0);
  }

  /** Starts whatever connects this bus to other instances (nothing in process). */
  async start(): Promise<void> {}

  async close(): Promise<void> {}

  /** For /readyz: whether changes made on other instances reach this one now. null: there are no others. */
  async listenerReady(_timeoutMs: number): Promise<boolean | null> {
    return null;
  }
}
