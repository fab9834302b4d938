// Follows one open payment: SSE pushes are the fast path; polling GET /api/payments/:id every pollMs
// covers a stream that is down or has gone quiet (no event for this payment within graceMs).
import type { PaymentView } from '../../shared/api';
import { throttleOf } from './attempt-errors';
import type { PaymentTransport, PaymentUpdates } from './attempt-types';

export interface WatchOptions {
  api: PaymentTransport;
  events: PaymentUpdates;
  now: () => number;
  pollMs: number;
  /** Poll interval while the event stream is down: the customer is waiting and no push can come (≤ 1 s p95). */
  downPollMs?: number;
  graceMs: number;
  onUpdate(p: PaymentView): void;
  /** Whether the payment still needs following (checked before every poll). */
  stillOpen(): boolean;
}

export class PaymentWatch {
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastEventAt = 0;
  private paymentId: string | null = null;

  constructor(private readonly o: WatchOptions) {}

  get active(): boolean {
    return this.paymentId !== null;
  }

  start(paymentId: string): void {
    if (this.paymentId === paymentId) return;
    this.stop();
    this.paymentId = paymentId;
    this.lastEventAt = this.o.now();
    this.unsubscribe = this.o.events.subscribe((p) => {
      if (p.id !== this.paymentId) return;
      this.lastEventAt = this.o.now();
      this.o.onUpdate(p);
    });
    this.schedule(paymentId);
    // A push for this payment may have come before we knew its id; without it the flow would wait for a poll.
    const pushed = this.o.events.latest?.(paymentId);
    if (pushed) {
      queueMicrotask(() => {
        if (this.paymentId !== paymentId) return;
        this.lastEventAt = this.o.now();
        this.o.onUpdate(pushed);
      });
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.paymentId = null;
  }

  private schedule(id: string): void {
    const down = !this.o.events.isConnected();
    this.timer = setTimeout(() => void this.tick(id), down ? Math.min(this.o.pollMs, this.o.downPollMs ?? 500) : this.o.pollMs);
  }

  private async tick(id: string): Promise<void> {
    this.timer = null;
    if (id !== this.paymentId || !this.o.stillOpen()) return;
    if (!this.o.events.isConnected() || this.o.now() - this.lastEventAt >= this.o.graceMs) {
      try {
        const p = await this.o.api.getPayment(id, { fresh: true });
        if (id === this.paymentId) this.o.onUpdate(p);
      } catch (err) {
        // Keep polling; a failed poll changes nothing about the payment. Asked to slow down, poll no sooner
        // than the proxy said.
        const throttled = throttleOf(err);
        if (throttled !== null && id === this.paymentId && this.o.stillOpen() && !this.timer) {
          this.timer = setTimeout(() => void this.tick(id), throttled);
          return;
        }
      }
    }
    if (id === this.paymentId && this.o.stillOpen() && !this.timer) this.schedule(id);
  }
}
