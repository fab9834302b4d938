// Customer-presented: the kiosk scans the customer's wallet code and charges it (Pay screen). The strategy on
// the payment-attempt core (attempt-core.ts) for what is particular to a scanned code:
// - the code is classified and checked against the store's wallets before anything is sent;
// - at most one open attempt per order: a scan is ignored while an attempt is in flight or open;
// - wallet codes are single-use: a code already tried is refused locally;
// - "Try another code" after a decline is a new attempt (new key) on the same order.
import type { CreatePaymentRequest, PaymentView } from '../../shared/api';
import { classifyCode, VENDOR_LABELS } from '../../shared/classify';
import type { Money } from '../../shared/money';
import { PaymentAttempt } from './attempt-core';
import { defaultFailure, errorOf, lostAnswer, notSent, throttleOf } from './attempt-errors';
import type { CorePhase, FlowDeps, FlowError, FlowPhase, FlowState, ResumableAttempt, StrategyPhases, SubmitResult } from './attempt-types';
import { m } from '../../paraglide/messages.js';

export function initialFlowState(orderId: string, amount: Money): FlowState {
  return {
    phase: 'ready',
    orderId,
    amount,
    vendor: null,
    code: null,
    idempotencyKey: null,
    attempt: 0,
    payment: null,
    error: null,
    sendFailures: 0,
  };
}

export class CpmAttempt extends PaymentAttempt<FlowPhase, FlowState> {
  protected readonly phases: StrategyPhases<FlowPhase> = { sending: 'sending', refused: 'declined', resting: ['ready', 'declined'] };
  private readonly tried = new Set<string>();

  constructor(
    state: FlowState,
    private readonly deps: FlowDeps,
  ) {
    super(state, deps);
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
      return this.reject('code_already_tried', m.err_code_already_tried());
    }
    this.tried.add(c.code);
    this.state.vendor = c.vendor;
    this.state.code = c.code;
    this.begin();
    return { ok: true };
  }

  /**
   * Picks up a journaled attempt after a reload, a crash or a lost tab: "Checking payment…" until `locate`
   * (which asks the proxy) says where it is. Network failures are retried with backoff, never turned into a
   * new attempt; `locate` resolving null means the request never reached the proxy, so nothing was charged.
   */
  resume(a: ResumableAttempt, locate: () => Promise<PaymentView | null>): boolean {
    const s = this.state;
    if (this.disposed || s.phase !== 'ready' || a.orderId !== s.orderId) return false;
    const seq = this.abandon();
    s.attempt += 1;
    s.idempotencyKey = a.idempotencyKey;
    s.vendor = a.vendor ?? null;
    s.amount = { ...a.amount };
    s.payment = null;
    s.error = null;
    s.sendFailures = 0;
    s.phase = 'checking';
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
    this.abandon();
    s.phase = 'ready';
    s.payment = null;
    s.code = null;
    s.vendor = null;
    s.idempotencyKey = null;
    s.error = null;
    s.sendFailures = 0;
    return true;
  }

  private reject(code: string, message: string): SubmitResult {
    this.state.error = { code, message };
    return { ok: false, reason: 'rejected' };
  }

  private async locate(seq: number, locate: () => Promise<PaymentView | null>): Promise<void> {
    const s = this.state;
    for (let failures = 1; ; failures++) {
      try {
        const found = await locate();
        if (!this.isCurrent(seq)) return;
        if (found) {
          this.apply(found);
        } else {
          s.idempotencyKey = null;
          s.error = this.cancelRequested ? null : notSent();
          s.phase = this.cancelRequested ? 'cancelled' : 'ready';
        }
        return;
      } catch (err) {
        if (!this.isCurrent(seq)) return;
        // A refusal here (e.g. 404) says nothing about the money: keep checking, but tell the cashier why.
        const pause = throttleOf(err);
        if (pause !== null) {
          await this.throttled(pause);
          if (!this.isCurrent(seq)) return;
          continue;
        }
        if (!lostAnswer(err)) s.error = errorOf(err);
        s.sendFailures = failures;
        await this.backoff(failures);
        if (!this.isCurrent(seq)) return;
      }
    }
  }

  protected request(): CreatePaymentRequest {
    const s = this.state;
    return { orderId: s.orderId, amount: { ...s.amount }, mode: 'cpm', code: s.code!, vendor: s.vendor! };
  }

  protected openPhase(p: PaymentView): FlowPhase | CorePhase {
    return p.status === 'unknown' ? 'checking' : p.status === 'pending' ? 'pending' : 'sending';
  }

  protected closed(p: PaymentView, cancelRequested: boolean): void {
    const s = this.state;
    if (p.status === 'cancelled' && cancelRequested) {
      s.phase = 'cancelled';
      s.error = null;
    } else {
      s.phase = 'declined';
      s.error = p.failure ? { ...p.failure } : defaultFailure(p.status);
    }
  }

  protected canFollow(): boolean {
    return this.state.phase === 'ready';
  }

  protected refused(err: FlowError, cancelRequested: boolean): void {
    // Nothing was charged with this code, so it may be tried again.
    this.tried.delete(this.state.code!);
    super.refused(err, cancelRequested);
  }

  protected takeUp(p: PaymentView): void {
    this.state.vendor = p.vendor;
  }
}
