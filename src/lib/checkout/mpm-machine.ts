// The client side of a merchant-presented QR for one order. Plain TypeScript over an injected state object
// (mpm.svelte.ts passes a $state proxy; tests a plain object and a fake transport).
//
// Money rules enforced here:
// - The Idempotency-Key is made before the first send and reused for every resend of that request: a lost
//   answer may mean the provider already made a QR, and a second one for the same order could be paid twice.
// - "New code" first makes sure the old QR is dead at the provider (cancelled, expired or — if the customer
//   paid at the last second — paid), and only then asks for a new one, with a new key, for the same order.
// - Cancel goes to the provider; a QR that gets paid meanwhile still ends as paid.
import type { CreatePaymentRequest, MpmOption, PaymentView } from '../../shared/api';
import type { Money } from '../../shared/money';
import { canTransition, isOpen, isPaid } from '../../shared/payment';
import { ApiError } from '../api/errors';
import { ADOPTABLE, errorOf, lostAnswer } from './attempt-errors';
import type { FlowError, PaymentTransport } from './attempt-types';
import type { MpmDeps, MpmPhase, MpmState } from './mpm-types';
import { PROVIDER_LABELS } from './mpm-types';
import { PaymentWatch } from './payment-watch';

export type * from './mpm-types';
export { PROVIDER_LABELS } from './mpm-types';

export function initialMpmState(orderId: string, amount: Money, option: MpmOption): MpmState {
  return {
    phase: 'creating', orderId, amount: { ...amount }, option: { ...option }, idempotencyKey: null,
    attempt: 0, payment: null, qr: null, error: null, sendFailures: 0,
  };
}

const LOCKED: readonly MpmPhase[] = ['creating', 'reconnecting', 'showing', 'checking', 'renewing', 'cancelling'];

const FAILURE: Record<string, FlowError> = {
  failed: { code: 'failed', message: 'The payment did not go through. No money was taken.' },
  cancelled: { code: 'cancelled', message: 'The provider cancelled this QR. No money was taken.' },
  reversed: { code: 'reversed', message: 'The payment was reversed. No money was taken.' },
};

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
    const s = this.state;
    if (LOCKED.includes(s.phase)) return true;
    return s.phase === 'expired' && s.payment !== null && isOpen(s.payment.status);
  }

  /** Milliseconds until the QR expires (0 when past), or null without a QR. */
  remainingMs(now = this.now()): number | null {
    const at = this.state.qr ? Date.parse(this.state.qr.expiresAt) : NaN;
    return Number.isFinite(at) ? Math.max(0, at - now) : null;
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
    this.adoptOption(p);
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
    switch (s.phase) {
      case 'failed':
      case 'expired':
        if (!open) {
          this.seq++;
          this.stopAll();
          s.error = null;
          s.phase = 'cancelled';
          return;
        }
        break;
      case 'creating':
      case 'reconnecting':
      case 'showing':
      case 'checking':
      case 'renewing':
        break;
      default:
        return;
    }
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
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private delayFor(failures: number): number {
    return this.delays[Math.min(failures, this.delays.length) - 1] ?? 1000;
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
        await this.wait(this.delayFor(s.sendFailures));
        if (seq !== this.seq || this.disposed) return;
      }
    }
  }

  /** The order already has a QR (answer lost earlier) or is paid: follow that one instead of failing. */
  private async adopt(err: ApiError, seq: number): Promise<boolean> {
    const orderId = this.state.orderId;
    const hinted = (err.details as { paymentId?: unknown } | undefined)?.paymentId;
    try {
      let found: PaymentView | undefined;
      if (typeof hinted === 'string') found = await this.api.getPayment(hinted);
      else if (this.api.listOrderPayments) {
        found = (await this.api.listOrderPayments(orderId)).find((p) => isOpen(p.status) || isPaid(p.status));
      }
      if (!found || found.orderId !== orderId || seq !== this.seq || this.disposed) return false;
      // An open payment without a QR (a scanned code) cannot be shown here.
      if (!isPaid(found.status) && !(isOpen(found.status) && found.qr)) return false;
      this.state.payment = null;
      this.adoptOption(found);
      this.apply(found);
      return true;
    } catch {
      return false;
    }
  }

  private adoptOption(p: PaymentView): void {
    const o = this.state.option;
    if (o.provider === p.provider && (o.vendor ?? null) === (p.vendor ?? null)) return;
    if (o.provider === p.provider && !o.vendor) return;
    this.state.option = { provider: p.provider, ...(p.vendor ? { vendor: p.vendor } : {}), label: `${PROVIDER_LABELS[p.provider]} QR` };
  }

  private apply(p: PaymentView): void {
    if (this.disposed) return;
    const s = this.state;
    const cur = s.payment;
    if (cur) {
      if (p.id !== cur.id) return;
      // Out-of-order updates (a slow poll after an SSE push) must never move the status backwards.
      if (p.status !== cur.status && !canTransition(cur.status, p.status)) return;
    } else if (p.orderId !== s.orderId) {
      return;
    }
    s.payment = p;
    if (p.qr) s.qr = { ...p.qr };
    this.derive();
  }

  private pastExpiry(): boolean {
    return this.remainingMs() === 0;
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
      if (this.renewRequested) {
        this.newAttempt();
        return;
      }
      if (this.cancelRequested) {
        s.error = null;
        s.phase = 'cancelled';
        return;
      }
      if (p.status === 'expired') {
        s.error = null;
        s.phase = 'expired';
        return;
      }
      s.error = p.failure ? { ...p.failure } : FAILURE[p.status] ?? FAILURE.failed;
      s.phase = 'failed';
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
    else s.phase = this.pastExpiry() ? 'expired' : 'showing';
    this.armExpiry();
  }

  /** Moves the screen to "expired" when the QR's time is up, even before the proxy says so. */
  private armExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    const left = this.remainingMs();
    if (this.state.phase !== 'showing' || left === null || left === 0) return;
    const id = this.state.payment?.id;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      const s = this.state;
      if (this.disposed || s.payment?.id !== id || s.phase !== 'showing') return;
      if (this.pastExpiry()) s.phase = 'expired';
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
            await this.wait(this.delayFor(failures));
            continue;
          }
          // Refused (e.g. it was paid or expired a moment ago): find out where it really is.
          try {
            this.apply(await this.api.getPayment(p.id));
          } catch {
            // the watch keeps polling
          }
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
