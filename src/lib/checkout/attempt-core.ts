// One payment attempt for one order, whatever presents the code (DESIGN §6 "never a second charge"). Plain
// TypeScript over an injected state object: the checkout manager passes a $state proxy so the screens react,
// tests pass a plain object and a fake transport. What differs between a scanned customer code and a QR shown to
// the customer — what is sent, how input is validated, what each phase means — is a strategy: a subclass
// (cpm-attempt.ts, mpm-attempt.ts) filling in the hooks of AttemptHooks (attempt-hooks.ts) that this core calls.
//
// Money rules enforced here:
// - The Idempotency-Key is made before the first send (the journal records it before the request leaves) and
//   reused for every resend: a lost answer (network error, timeout, 5xx) may mean the proxy acted on it, so it
//   is resent with the same key after a backoff, never turned into a new attempt.
// - "Slow down" (429 Retry-After) does not fail the sale: the same request goes again once the wait is over.
// - "This order already has a payment" (the proxy's 409, or the kiosk's journal) is followed, not answered with
//   another charge.
// - An update is applied only to the same payment, and never moves its status backwards (acceptsUpdate); a
//   payment an earlier attempt left behind never takes the place of the next one's.
// - Cancel goes to the provider; a payment that succeeds meanwhile still ends as paid. A new attempt that
//   replaces an open one waits until the old one is dead at the provider.
import type { PaymentView } from '../../shared/api';
import { isOpen, isPaid } from '../../shared/payment';
import { ApiError } from '../api/errors';
import { ADOPTABLE, errorOf, findExistingPayment, isServerError, lostAnswer, throttleOf } from './attempt-errors';
import { AttemptHooks } from './attempt-hooks';
import type { AttemptDeps, AttemptState, PaymentTransport } from './attempt-types';
import { PaymentWatch } from './payment-watch';
import { acceptsUpdate } from './update-guard';
import { Waits } from './waits';
import { m } from '../../paraglide/messages.js';

export abstract class PaymentAttempt<P extends string, S extends AttemptState<P>> extends AttemptHooks<P, S> {
  protected readonly api: PaymentTransport;
  protected readonly now: () => number;
  private readonly newKey: () => string;
  private readonly delays: readonly number[];
  private readonly watch: PaymentWatch;
  private readonly waits = new Waits();
  private readonly throttleWaits = new Waits(); // Retry-After waits: only a cancel ends them early
  /** Bumped per attempt so late answers to an abandoned attempt are ignored. */
  private seq = 0;
  /** Payments of this order that earlier attempts ended with (New code, a new scan after a decline). */
  private readonly leftBehind = new Set<string>();
  protected disposed = false;
  protected cancelRequested = false;
  private renewRequested = false;
  private cancelInFlight = false;
  /** The proxy took our cancel for this payment; the watch reports how it ends (no need to resend). */
  private cancelAcceptedFor: string | null = null;

  constructor(state: S, deps: AttemptDeps) {
    super(state);
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
      stillOpen: () => !this.disposed && this.openPayment() !== null,
    });
  }

  /** The state as the core sees it (every strategy's state is one). */
  private get s(): AttemptState<P> {
    return this.state;
  }

  /** An attempt is in flight, or its payment may still be paid: the order must stay on its screen. */
  get locked(): boolean {
    const phase = this.s.phase;
    const settled = phase === 'paid' || phase === 'cancelled' || this.phases.resting.includes(phase as P);
    return !settled || this.openPayment() !== null;
  }

  /** Picks up a payment already made for this order (after a reload) instead of making another. */
  follow(p: PaymentView): boolean {
    const s = this.s;
    if (this.disposed || p.orderId !== s.orderId || !this.canFollow(p)) return false;
    this.seq++;
    s.attempt += 1;
    s.amount = { ...p.amount };
    s.payment = null;
    s.error = null;
    this.takeUp(p);
    this.apply(p);
    return true;
  }

  /**
   * Stops the sale's payment. With nothing open it ends at once; with an attempt in flight the cancel is sent
   * as soon as the payment id is known. A payment that succeeds meanwhile still ends as paid.
   */
  cancel(): void {
    const s = this.s;
    const open = this.openPayment() !== null;
    if (this.phases.resting.includes(s.phase as P) && !open) {
      this.abandon();
      s.error = null;
      s.phase = 'cancelled';
      return;
    }
    if (s.phase === 'cancelling' || s.phase === 'cancelled' || s.phase === 'paid') return;
    this.cancelRequested = true;
    this.renewRequested = false;
    s.error = null;
    s.phase = 'cancelling';
    // A create request waiting out a 429 that never reached the proxy's payment code can end here.
    this.throttleWaits.wake();
    if (open) void this.sendCancel();
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.waits.clear();
    this.throttleWaits.clear();
  }

  /** The network is back: end backoff waits now, so a resend (same key) or a check goes out at once. */
  wake(): void {
    this.waits.wake();
  }

  /** A new attempt for the order: a new key, made here, before anything is sent. */
  protected begin(): void {
    const s = this.s;
    const seq = this.abandon();
    s.idempotencyKey = this.newKey();
    s.attempt += 1;
    if (s.payment) this.leftBehind.add(s.payment.id);
    s.payment = null;
    s.error = null;
    s.sendFailures = 0;
    this.beginning();
    s.phase = this.phases.sending;
    void this.send(seq);
  }

  /** Kills the current payment at the provider if it may still be paid, and only then begins the next one. */
  protected renew(): void {
    if (!this.openPayment()) return this.begin();
    this.renewRequested = true;
    this.s.error = null;
    this.s.phase = this.phases.renewing ?? 'cancelling';
    void this.sendCancel();
  }

  /** Drops whatever the current attempt was doing; late answers to it are ignored. Returns the new sequence. */
  protected abandon(): number {
    this.stop();
    this.cancelRequested = false;
    this.renewRequested = false;
    this.cancelAcceptedFor = null;
    return ++this.seq;
  }

  /** Whether `seq` is still the attempt being followed. */
  protected isCurrent(seq: number): boolean {
    return seq === this.seq && !this.disposed;
  }

  /** The backoff wait after `failures` lost answers in a row. */
  protected backoff(failures: number): Promise<void> {
    return this.waits.wait(this.delays[Math.min(failures, this.delays.length) - 1] ?? 1000);
  }

  /** The wait the proxy asked for (Retry-After) before sending again; a cancel ends it early. */
  protected throttled(ms: number): Promise<void> {
    return this.throttleWaits.wait(ms);
  }

  protected apply(p: PaymentView): void {
    if (this.disposed) return;
    const s = this.s;
    if (!acceptsUpdate(s.payment, p, s.orderId, this.leftBehind)) return;
    s.payment = p;
    this.updated(p);
    this.derive();
  }

  private openPayment(): PaymentView | null {
    const p = this.s.payment;
    return p && isOpen(p.status) ? p : null;
  }

  private stop(): void {
    this.watch.stop();
    this.stopped();
  }

  private async send(seq: number): Promise<void> {
    const s = this.s;
    const key = s.idempotencyKey!;
    const req = this.request();
    for (;;) {
      try {
        const payment = await this.api.createPayment(req, key);
        if (!this.isCurrent(seq)) return;
        s.sendFailures = 0;
        this.apply(payment);
        return;
      } catch (err) {
        if (!this.isCurrent(seq)) return;
        const pause = throttleOf(err);
        if (pause === null && !lostAnswer(err)) {
          // The order already has a live or paid payment (one whose answer we lost?): follow it, never charge again.
          if (err instanceof ApiError && ADOPTABLE.includes(err.code) && (await this.adopt(err, seq))) return;
          if (!this.isCurrent(seq)) return;
          // The proxy refused the request: nothing was charged, so a new attempt is safe.
          this.refused(errorOf(err), this.cancelRequested);
          return;
        }
        // A lost answer or a 5xx may have been acted on; a 429 was refused before anything was done.
        if (pause === null || isServerError(err)) s.sendFailures += 1;
        // Every send of this key was answered and refused untouched: nothing can be charged, cancel at once.
        if (this.cancelRequested && s.sendFailures === 0) return this.refused(errorOf(err), true);
        if (!this.cancelRequested) s.phase = pause === null ? 'reconnecting' : 'waiting';
        await (pause === null ? this.backoff(s.sendFailures) : this.throttled(pause));
        if (!this.isCurrent(seq)) return;
        if (this.cancelRequested && s.sendFailures === 0) return this.refused(errorOf(err), true);
        if (!this.cancelRequested && pause !== null) s.phase = s.sendFailures > 0 ? 'reconnecting' : this.phases.sending;
      }
    }
  }

  private async adopt(err: ApiError, seq: number): Promise<boolean> {
    const found = await findExistingPayment(this.api, err, this.s.orderId).catch(() => null);
    if (!found || !this.canAdopt(found) || !this.isCurrent(seq)) return false;
    this.s.payment = null;
    this.takeUp(found);
    this.apply(found);
    return true;
  }

  private derive(): void {
    const s = this.s;
    const p = s.payment!;
    if (isPaid(p.status)) {
      this.stop();
      s.error = null;
      s.phase = 'paid';
      return;
    }
    if (!isOpen(p.status)) {
      this.stop();
      // The old payment is dead at the provider: only now may the next one be made.
      if (this.renewRequested) return this.begin();
      this.closed(p, this.cancelRequested);
      return;
    }
    this.watch.start(p.id);
    if (this.cancelRequested || this.renewRequested) {
      s.phase = this.cancelRequested ? 'cancelling' : (this.phases.renewing ?? 'cancelling');
      void this.sendCancel();
      return;
    }
    s.phase = this.openPhase(p);
    this.opened();
  }

  private async sendCancel(): Promise<void> {
    if (this.cancelInFlight) return;
    this.cancelInFlight = true;
    const seq = this.seq;
    const s = this.s;
    let failures = 0;
    try {
      while (this.isCurrent(seq) && (this.cancelRequested || this.renewRequested)) {
        const p = this.openPayment();
        if (!p || this.cancelAcceptedFor === p.id) return;
        try {
          const after = await this.api.cancelPayment(p.id);
          if (!this.isCurrent(seq)) return;
          // 202: the proxy cancels at the provider as soon as it can; the watch brings the outcome.
          this.cancelAcceptedFor = p.id;
          this.apply(after);
          return;
        } catch (err) {
          const pause = throttleOf(err);
          if (pause !== null || lostAnswer(err)) {
            if (pause === null) failures += 1;
            await (pause === null ? this.backoff(failures) : this.throttled(pause));
            continue;
          }
          // Refused (e.g. it was paid or failed a moment ago): find out where it really is.
          const latest = await this.api.getPayment(p.id).catch(() => null); // else the watch keeps polling
          // Meanwhile the watch may have seen it close and a new attempt begun: this look is about the old one.
          if (!this.isCurrent(seq)) return;
          if (latest) this.apply(latest);
          if (this.isCurrent(seq) && this.openPayment()) {
            this.cancelRequested = false;
            this.renewRequested = false;
            const e = errorOf(err);
            this.derive();
            s.error = { code: e.code, message: m.err_could_not_cancel({ error: e.message }) };
          }
          return;
        }
      }
    } finally {
      this.cancelInFlight = false;
    }
  }
}
