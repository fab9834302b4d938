// In-process fan-out of committed payment changes to SSE subscribers, keyed by terminal. Publishing happens
// only after the DB commit, so a subscriber never sees a state the store could still roll back.
// (Several proxy instances would bridge this through Postgres LISTEN/NOTIFY — DESIGN §11.)
import { EventEmitter } from 'node:events';
import type { Payment } from '../store/payments.ts';

export interface PaymentUpdate {
  eventId: number;
  payment: Payment;
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Never throws: the change is already committed, and one broken stream must not hide it from the rest. */
  publish(update: PaymentUpdate): void {
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
}
