// The client side of taking one wallet payment for one order (DESIGN §6 "never a second charge").
// Plain TypeScript over an injected state object: attempt.svelte.ts passes a $state proxy so the screens
// react, tests pass a plain object and a fake transport.
//
// Money rules enforced here:
// - The Idempotency-Key is made before the first send and reused for every retry of that request; a lost
//   answer (network error, timeout, 5xx) is retried with the same key, never turned into a new attempt.
// - At most one open attempt per order: a scan is ignored while an attempt is in flight or open.
// - "Try another code" after a decline is a new attempt (new key) on the same order.
import type { CreatePaymentRequest, PaymentView } from '../../shared/api';
import { classifyCode, VENDOR_LABELS } from '../../shared/classify';
import type { Money } from '../../shared/money';
import { isOpen, isPaid } from '../../shared/payment';
import { acceptsUpdate } from './update-guard';
import { ApiError } from '../api/errors';
import { ADOPTABLE, DEFAULT_FAILURE, errorOf, lostAnswer, NOT_SENT } from './attempt-errors';
import type { FlowDeps, FlowPhase, FlowState, PaymentTransport, ResumableAttempt, SubmitResult } from './attempt-types';
import { PaymentWatch } from './payment-watch';

export type * from './attempt-types';

export function initialFlowState(orderId: string, amount: Money): FlowState {
  return {
    phase: 'ready', orderId, amount, vendor: null, code: null, idempotencyKey: null,
    attempt: 0, payment: null, error: null, sendFailures: 0,
  };
}

const LOCKED: readonly FlowPhase[] = ['sending', 'reconnecting', 'pending', 'checking', 'cancelling'];

export class PaymentFlowMachine {
  private readonly api: PaymentTransport;
  private readonly newKey: () => string;
  private readonly delays: readonly number[];
  private readonly watch: PaymentWatch;
  private readonly tried = new Set<string>();
  /** Pending backoff waits and how to end each early (wake()). */
  private readonly timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  /** Bumped per attempt so late answers to an abandoned attempt are ignored. */
  private seq = 0;
  private disposed = false;
  private cancelRequested = false;
  private cancelInFlight = false;

  constructor(readonly state: FlowState, private readonly deps: FlowDeps) {
    this.api = deps.api;
    this.newKey = deps.newKey ?? (() => crypto.randomUUID());
    this.delays = deps.retryDelaysMs ?? [500, 1000, 2000, 4000, 8000];
    this.watch = new PaymentWatch({
      api: deps.api,
      events: deps.events,
      now: deps.now ?? (() => Date.now()),
      pollMs: deps.pollIntervalMs ?? 1500,
      graceMs: deps.eventGraceMs ?? 2000,
      onUpdate: (p) => this.apply(p),
      stillOpen: () => !this.disposed && this.state.payment !== null && isOpen(this.state.payment.status),
    });
  }

  /** An attempt is in flight or open: the order must stay on the Pay screen. */
  get locked(): boolean {
    return LOCKED.includes(this.state.phase);
  }

  submitCode(raw: string): SubmitResult {
    if (this.disposed || this.state.phase !== 'ready') return { ok: false, reason: 'busy' };
    const c = classifyCode(raw);
    if (!c.ok) return this.reject(c.reason, c.message);
    if (!this.deps.acceptedVendors.includes(c.vendor)) {
      const accepted = this.deps.acceptedVendors.map((v) => VENDOR_LABELS[v]).join(', ') || 'none';
      return this.reject('vendor_not_accepted', `${VENDOR_LABELS[c.vendor]} is not accepted at this store. Accepted: ${accepted}.`);
    }
    // Wallet codes are single-use; the same code again (e.g. the camera still sees it) cannot succeed.
    if (this.tried.has(c.code)) {
      return this.reject('code_already_tried', 'This code was already tried. Ask the customer to refresh the payment code in their wallet.');
    }
    this.tried.add(c.code);
    const s = this.state;
    s.vendor = c.vendor;
    s.code = c.code;
    s.idempotencyKey = this.newKey();
    s.attempt += 1;
    s.payment = null;
    s.error = null;
    s.sendFailures = 0;
    s.phase = 'sending';
    this.cancelRequested = false;
    void this.send(++this.seq);
    return { ok: true };
  }

  /** Picks up a payment already made for this order (after a reload), instead of starting a new one. */
  follow(p: PaymentView): boolean {
    const s = this.state;
    if (this.disposed || s.phase !== 'ready' || p.orderId !== s.orderId) return false;
    this.seq++;
    s.attempt += 1;
    s.vendor = p.vendor;
    s.amount = { ...p.amount };
    s.payment = null;
    s.error = null;
    this.apply(p);
    return true;
  }

  /**
   * Picks up a journaled attempt after a reload, a crash or a lost tab: "Checking payment…" until `locate`
   * (which asks the proxy) says where it is. Network failures are retried with backoff, never turned into a
   * new attempt; `locate` resolving null means the request never reached the proxy, so nothing was charged.
   */
  resume(a: ResumableAttempt, locate: () => Promise<PaymentView | null>): boolean {
    const s = this.state;
    if (this.disposed || s.phase !== 'ready' || a.orderId !== s.orderId) return false;
    const seq = ++this.seq;
    s.attempt += 1;
    s.idempotencyKey = a.idempotencyKey;
    s.vendor = a.vendor ?? null;
    s.amount = { ...a.amount };
    s.payment = null;
    s.error = null;
    s.sendFailures = 0;
    s.phase = 'checking';
    this.cancelRequested = false;
    void this.locate(seq, locate);
    return true;
  }

  /** "Try another code": only after a decline; the next scan starts a new attempt with a new key. */
  retry(): boolean {
    const s = this.state;
    if (s.phase === 'ready') {
      s.error = null;
      return true;
    }
    if (s.phase !== 'declined') return false;
    this.seq++;
    this.stopWatching();
    s.phase = 'ready';
    s.payment = null;
    s.code = null;
    s.vendor = null;
    s.idempotencyKey = null;
    s.error = null;
    s.sendFailures = 0;
    this.cancelRequested = false;
    return true;
  }

  /**
   * Stops the sale's payment. With nothing open it ends at once; with an attempt in flight the cancel is sent
   * as soon as the payment id is known. A payment that succeeds meanwhile still ends as paid.
   */
  cancel(): void {
    const s = this.state;
    switch (s.phase) {
      case 'ready':
      case 'declined':
        this.seq++;
        this.stopWatching();
        s.error = null;
        s.phase = 'cancelled';
        return;
      case 'sending':
      case 'reconnecting':
        this.cancelRequested = true;
        s.phase = 'cancelling';
        return;
      case 'pending':
      case 'checking':
        this.cancelRequested = true;
        s.phase = 'cancelling';
        void this.sendCancel();
        return;
      default:
        return;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.stopWatching();
    for (const t of this.timers.keys()) clearTimeout(t);
    this.timers.clear();
  }

  /** The network is back: end backoff waits now, so a resend (same key) or a check goes out at once. */
  wake(): void {
    const waiting = [...this.timers];
    this.timers.clear();
    for (const [t, resolve] of waiting) {
      clearTimeout(t);
      resolve();
    }
  }

  private reject(code: string, message: string): SubmitResult {
    this.state.error = { code, message };
    return { ok: false, reason: 'rejected' };
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  private delayFor(failures: number): number {
    return this.delays[Math.min(failures, this.delays.length) - 1] ?? 1000;
  }

  private async send(seq: number): Promise<void> {
    const s = this.state;
    const key = s.idempotencyKey!;
    const req: CreatePaymentRequest = {
      orderId: s.orderId, amount: { ...s.amount }, mode: 'cpm', code: s.code!, vendor: s.vendor!,
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
          // The order already has a live or paid payment (e.g. one whose answer we lost): follow that one
          // instead of showing an error the cashier could only answer with another charge.
          if (err instanceof ApiError && ADOPTABLE.includes(err.code) && (await this.adopt(err))) return;
          if (seq !== this.seq || this.disposed) return;
          // The proxy refused the request: nothing was charged, so a new code/attempt is safe.
          this.tried.delete(req.code!);
          s.error = errorOf(err);
          s.phase = this.cancelRequested ? 'cancelled' : 'declined';
          return;
        }
        s.sendFailures += 1;
        if (!this.cancelRequested) s.phase = 'reconnecting';
        await this.wait(this.delayFor(s.sendFailures));
        if (seq !== this.seq || this.disposed) return;
      }
    }
  }

  private async locate(seq: number, locate: () => Promise<PaymentView | null>): Promise<void> {
    const s = this.state;
    for (let failures = 1; ; failures++) {
      try {
        const found = await locate();
        if (seq !== this.seq || this.disposed) return;
        if (found) {
          this.apply(found);
        } else {
          s.idempotencyKey = null;
          s.error = this.cancelRequested ? null : { ...NOT_SENT };
          s.phase = this.cancelRequested ? 'cancelled' : 'ready';
        }
        return;
      } catch (err) {
        if (seq !== this.seq || this.disposed) return;
        // A refusal here (e.g. 404) says nothing about the money: keep checking, but tell the cashier why.
        if (!lostAnswer(err)) s.error = errorOf(err);
        s.sendFailures = failures;
        await this.wait(this.delayFor(failures));
        if (seq !== this.seq || this.disposed) return;
      }
    }
  }

  private async adopt(err: ApiError): Promise<boolean> {
    const seq = this.seq;
    const orderId = this.state.orderId;
    const hinted = (err.details as { paymentId?: unknown } | undefined)?.paymentId;
    try {
      let found: PaymentView | undefined;
      if (typeof hinted === 'string') found = await this.api.getPayment(hinted);
      else if (this.api.listOrderPayments) {
        found = (await this.api.listOrderPayments(orderId)).find((p) => isOpen(p.status) || isPaid(p.status));
      }
      if (!found || found.orderId !== orderId || seq !== this.seq || this.disposed) return false;
      if (!isOpen(found.status) && !isPaid(found.status)) return false;
      this.state.payment = null;
      this.state.vendor = found.vendor;
      this.apply(found);
      return true;
    } catch {
      return false;
    }
  }

  private apply(p: PaymentView): void {
    if (this.disposed) return;
    const s = this.state;
    if (!acceptsUpdate(s.payment, p)) return;
    s.payment = p;
    this.derivePhase();
  }

  private derivePhase(): void {
    const s = this.state;
    const p = s.payment!;
    if (isPaid(p.status)) {
      s.phase = 'paid';
      s.error = null;
      this.stopWatching();
    } else if (p.status === 'cancelled' && this.cancelRequested) {
      s.phase = 'cancelled';
      s.error = null;
      this.stopWatching();
    } else if (!isOpen(p.status)) {
      s.phase = 'declined';
      s.error = p.failure ? { ...p.failure } : DEFAULT_FAILURE[p.status] ?? DEFAULT_FAILURE.failed;
      this.stopWatching();
    } else {
      if (this.cancelRequested) {
        s.phase = 'cancelling';
        void this.sendCancel();
      } else {
        s.phase = p.status === 'unknown' ? 'checking' : p.status === 'pending' ? 'pending' : 'sending';
      }
      this.startWatching();
    }
  }

  private startWatching(): void {
    const p = this.state.payment;
    if (p) this.watch.start(p.id);
  }

  private stopWatching(): void {
    this.watch.stop();
  }

  private async sendCancel(): Promise<void> {
    if (this.cancelInFlight) return;
    this.cancelInFlight = true;
    const seq = this.seq;
    let failures = 0;
    try {
      while (!this.disposed && seq === this.seq && this.cancelRequested) {
        const p = this.state.payment;
        if (!p || !isOpen(p.status)) return;
        try {
          this.apply(await this.api.cancelPayment(p.id));
          return;
        } catch (err) {
          if (lostAnswer(err)) {
            failures += 1;
            await this.wait(this.delayFor(failures));
            continue;
          }
          // Refused (e.g. it was paid or failed a moment ago): find out where it really is.
          try {
            this.apply(await this.api.getPayment(p.id));
          } catch {
            // polling continues
          }
          const now = this.state.payment;
          if (now && isOpen(now.status)) {
            this.cancelRequested = false;
            this.state.error = { code: errorOf(err).code, message: `Could not cancel: ${errorOf(err).message}` };
            this.derivePhase();
          }
          return;
        }
      }
    } finally {
      this.cancelInFlight = false;
    }
  }
}
