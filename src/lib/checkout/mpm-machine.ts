// The client side of a merchant-presented QR for one order. Plain TypeScript over an injected state object
// (mpm.svelte.ts passes a $state proxy; tests a plain object and a fake transport).
//
// Money rules enforced here:
// - The Idempotency-Key is made before the first send and reused for every resend of that request: a lost
//   answer may mean the provider already made a QR, and a second one for the same order could be paid twice.
// - "New code" first makes sure the old QR is dead at the provider (cancelled, expired or — if the customer
//   paid at the last second — paid), and only then asks for a new one, with a new key, for the same order.
// - Cancel goes to the provider; a QR that gets paid meanwhile still ends as paid.
import type { CreatePaymentRequest, PaymentView } from '../../shared/api';
import { isOpen, isPaid } from '../../shared/payment';
import { acceptsUpdate } from './update-guard';
import { ApiError } from '../api/errors';
import { ADOPTABLE, errorOf, lostAnswer } from './attempt-errors';
import type { PaymentTransport } from './attempt-types';
import {
  CANCELLABLE_PHASES, findAdoptable, MPM_FAILURE, mpmLocked, msLeft, optionOf, retryDelay, sleep,
} from './mpm-rules';
import type { MpmDeps, MpmState } from './mpm-types';
import { PaymentWatch } from './payment-watch';

export type * from './mpm-types';
export { PROVIDER_LABELS } from './mpm-types';
export { initialMpmState } from './mpm-rules';

export class MpmFlowMachine {
  private readonly api: PaymentTransport;
  private readonly newKey: () => string;
  private readonly now: () => number;
  private readonly delays: readonly number[];
  private readonly watch: PaymentWatch;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped per attempt so late answers to an abandoned attempt are ignored. */
  private seq = 0;
  private disposed = false;
  private cancelRequested = false;
  private renewRequested = false;
  private cancelInFlight = false;
  /** The proxy took our cancel for this payment; the watch reports how it ends (no need to resend). */
  private cancelAcceptedFor: string | null = null;

  constructor(readonly state: MpmState, deps: MpmDeps) {
    this.api = deps.api;
    this.newKey = deps.newKey ?? (() => crypto.randomUUID());
    this.now = deps.now ?? (() => Date.now());
    this.delays = deps.retryDelaysMs ?? [500, 1000, 2000, 4000, 8000];
    this.watch = new PaymentWatch({
      api: deps.api,
      events: deps.events,
      now: this.now,
      pollMs: deps.pollIntervalMs ?? 1500,
      graceMs: deps.eventGraceMs ?? 2000,
      onUpdate: (p) => this.apply(p),
      stillOpen: () => !this.disposed && this.state.payment !== null && isOpen(this.state.payment.status),
    });
  }

  /** A QR is being made, shown or cancelled: the order must stay on this screen. */
  get locked(): boolean {
    return mpmLocked(this.state);
  }

  /** Milliseconds until the QR expires (0 when past), or null without a QR. */
  remainingMs(now = this.now()): number | null {
    return msLeft(this.state.qr, now);
  }

  /** Asks for the first QR. */
  start(): boolean {
    if (this.disposed || this.state.attempt !== 0) return false;
    this.newAttempt();
    return true;
  }

  /** Picks up a QR already made for this order (after a reload) instead of making another. */
  follow(p: PaymentView): boolean {
    const s = this.state;
    if (this.disposed || s.attempt !== 0 || p.orderId !== s.orderId || p.mode !== 'mpm') return false;
    this.seq++;
    s.attempt = 1;
    s.option = optionOf(s.option, p);
    this.apply(p);
    return true;
  }

  /** After expiry or a failure: kill the old QR at the provider if it may still be payable, then a new one. */
  newCode(): boolean {
    const s = this.state;
    if (this.disposed || (s.phase !== 'expired' && s.phase !== 'failed')) return false;
    const p = s.payment;
    if (p && isOpen(p.status)) {
      this.renewRequested = true;
      s.error = null;
      s.phase = 'renewing';
      void this.sendCancel();
      return true;
    }
    this.newAttempt();
    return true;
  }

  cancel(): void {
    const s = this.state;
    const open = s.payment !== null && isOpen(s.payment.status);
    if ((s.phase === 'failed' || s.phase === 'expired') && !open) {
      this.seq++;
      this.stopAll();
      s.error = null;
      s.phase = 'cancelled';
      return;
    }
    if (!CANCELLABLE_PHASES.includes(s.phase)) return;
    this.cancelRequested = true;
    this.renewRequested = false;
    s.error = null;
    s.phase = 'cancelling';
    // Still being made: the cancel goes out as soon as the proxy names the payment.
    if (open) void this.sendCancel();
  }

  dispose(): void {
    this.disposed = true;
    this.stopAll();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private newAttempt(): void {
    const s = this.state;
    this.seq++;
    this.stopAll();
    s.idempotencyKey = this.newKey();
    s.attempt += 1;
    s.payment = null;
    s.qr = null;
    s.error = null;
    s.sendFailures = 0;
    s.phase = 'creating';
    this.cancelRequested = false;
    this.renewRequested = false;
    this.cancelAcceptedFor = null;
    void this.send(this.seq);
  }

  private stopAll(): void {
    this.watch.stop();
    this.clearExpiry();
  }

  private clearExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  private async send(seq: number): Promise<void> {
    const s = this.state;
    const key = s.idempotencyKey!;
    const req: CreatePaymentRequest = {
      orderId: s.orderId, amount: { ...s.amount }, mode: 'mpm', provider: s.option.provider,
      ...(s.option.vendor ? { vendor: s.option.vendor } : {}),
    };
    for (;;) {
      try {
        const payment = await this.api.createPayment(req, key);
        if (seq !== this.seq || this.disposed) return;
        s.sendFailures = 0;
        this.apply(payment);
        return;
      } catch (err) {
        if (seq !== this.seq || this.disposed) return;
        if (!lostAnswer(err)) {
          if (err instanceof ApiError && ADOPTABLE.includes(err.code) && (await this.adopt(err, seq))) return;
          if (seq !== this.seq || this.disposed) return;
          s.error = this.cancelRequested ? null : errorOf(err);
          s.phase = this.cancelRequested ? 'cancelled' : 'failed';
          return;
        }
        s.sendFailures += 1;
        if (!this.cancelRequested) s.phase = 'reconnecting';
        await sleep(this.timers, retryDelay(this.delays, s.sendFailures));
        if (seq !== this.seq || this.disposed) return;
      }
    }
  }

  /** The order already has a QR (answer lost earlier) or is paid: follow that one instead of failing. */
  private async adopt(err: ApiError, seq: number): Promise<boolean> {
    const found = await findAdoptable(this.api, err, this.state.orderId).catch(() => null);
    if (!found || seq !== this.seq || this.disposed) return false;
    this.state.payment = null;
    this.state.option = optionOf(this.state.option, found);
    this.apply(found);
    return true;
  }

  private apply(p: PaymentView): void {
    if (this.disposed) return;
    const s = this.state;
    if (!acceptsUpdate(s.payment, p)) return;
    // With no payment yet (resume, adoption) only one for this order may be taken up.
    if (!s.payment && p.orderId !== s.orderId) return;
    s.payment = p;
    if (p.qr) s.qr = { ...p.qr };
    this.derive();
  }

  private derive(): void {
    const s = this.state;
    const p = s.payment!;
    if (isPaid(p.status)) {
      this.stopAll();
      s.error = null;
      s.phase = 'paid';
      return;
    }
    if (!isOpen(p.status)) {
      this.stopAll();
      // The old QR is dead at the provider: only now may "New code" make the next one.
      if (this.renewRequested) return this.newAttempt();
      const failed = !this.cancelRequested && p.status !== 'expired';
      s.error = failed ? (p.failure ? { ...p.failure } : MPM_FAILURE[p.status] ?? MPM_FAILURE.failed) : null;
      s.phase = this.cancelRequested ? 'cancelled' : failed ? 'failed' : 'expired';
      return;
    }
    this.watch.start(p.id);
    if (this.cancelRequested || this.renewRequested) {
      s.phase = this.cancelRequested ? 'cancelling' : 'renewing';
      void this.sendCancel();
      return;
    }
    if (p.status === 'unknown') s.phase = 'checking';
    else if (p.status === 'created') s.phase = 'creating';
    else s.phase = this.remainingMs() === 0 ? 'expired' : 'showing';
    this.armExpiry();
  }

  /** Moves the screen to "expired" when the QR's time is up, even before the proxy says so. */
  private armExpiry(): void {
    this.clearExpiry();
    const left = this.remainingMs();
    if (this.state.phase !== 'showing' || left === null || left === 0) return;
    const id = this.state.payment?.id;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      const s = this.state;
      if (this.disposed || s.payment?.id !== id || s.phase !== 'showing') return;
      if (this.remainingMs() === 0) s.phase = 'expired';
      else this.armExpiry();
    }, left + 50);
  }

  private async sendCancel(): Promise<void> {
    if (this.cancelInFlight) return;
    this.cancelInFlight = true;
    const seq = this.seq;
    const s = this.state;
    let failures = 0;
    try {
      while (!this.disposed && seq === this.seq && (this.cancelRequested || this.renewRequested)) {
        const p = s.payment;
        if (!p || !isOpen(p.status) || this.cancelAcceptedFor === p.id) return;
        try {
          const after = await this.api.cancelPayment(p.id);
          if (seq !== this.seq || this.disposed) return;
          // 202: the proxy cancels at the provider as soon as it can; the watch brings the outcome.
          this.cancelAcceptedFor = p.id;
          this.apply(after);
          return;
        } catch (err) {
          if (lostAnswer(err)) {
            failures += 1;
            await sleep(this.timers, retryDelay(this.delays, failures));
            continue;
          }
          // Refused (e.g. it was paid or expired a moment ago): find out where it really is.
          const latest = await this.api.getPayment(p.id).catch(() => null); // else the watch keeps polling
          if (latest) this.apply(latest);
          const now = s.payment;
          if (seq === this.seq && now && isOpen(now.status)) {
            this.cancelRequested = false;
            this.renewRequested = false;
            const e = errorOf(err);
            this.derive();
            s.error = { code: e.code, message: `Could not cancel: ${e.message}` };
          }
          return;
        }
      }
    } finally {
      this.cancelInFlight = false;
    }
  }
}
