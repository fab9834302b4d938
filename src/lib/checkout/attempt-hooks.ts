// The hooks through which a strategy — customer-presented (cpm-attempt.ts) or merchant-presented
// (mpm-attempt.ts) — tells the payment-attempt core (attempt-core.ts) what it sends and what each outcome means
// for it. The core calls them; a new way of presenting a code is one more subclass filling them in.
import type { CreatePaymentRequest, PaymentView } from '../../shared/api';
import type { AttemptState, CorePhase, FlowError, StrategyPhases } from './attempt-types';

export abstract class AttemptHooks<P extends string, S extends AttemptState<P>> {
  constructor(readonly state: S) {}

  protected abstract readonly phases: StrategyPhases<P>;

  /** The create request for the current attempt. */
  protected abstract request(): CreatePaymentRequest;

  /** The phase for a payment that is open and that nobody asked to cancel. */
  protected abstract openPhase(p: PaymentView): P | CorePhase;

  /** The payment ended unpaid: phase and reason. */
  protected abstract closed(p: PaymentView, cancelRequested: boolean): void;

  /** Whether follow() may pick up this payment now. */
  protected abstract canFollow(p: PaymentView): boolean;

  /** The proxy refused the create request (4xx): nothing was charged. */
  protected refused(err: FlowError, cancelRequested: boolean): void {
    const s: AttemptState<P> = this.state;
    s.error = cancelRequested ? null : err;
    s.phase = cancelRequested ? 'cancelled' : this.phases.refused;
  }

  /** Whether an existing open or paid payment of the order may be followed after "order has a payment". */
  protected canAdopt(_p: PaymentView): boolean {
    return true;
  }

  /** Copies from a payment being followed what the state says about it (its wallet, its QR option). */
  protected takeUp(_p: PaymentView): void {}

  /** Every accepted update, before its phase is worked out. */
  protected updated(_p: PaymentView): void {}

  /** A new attempt is about to be sent. */
  protected beginning(): void {}

  /** The payment is open and its phase was just set. */
  protected opened(): void {}

  /** Watching stopped (the payment ended, the attempt was dropped or disposed). */
  protected stopped(): void {}
}
