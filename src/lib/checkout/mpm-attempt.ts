// Merchant-presented: the kiosk shows the provider's QR for the order and the customer pays it with their
// wallet app (Mpm screen, customer display). The strategy on the payment-attempt core (attempt-core.ts) for
// what is particular to a QR:
// - a lost answer may mean the provider already made a QR: it is resent with the same key (core), and a QR the
//   proxy already has for the order is shown rather than a second one made;
// - the QR expires: the screen says so at the provider's expiry even before the proxy does;
// - "New code" first makes sure the old QR is dead at the provider (cancelled, expired or — if the customer
//   paid at the last second — paid), and only then asks for a new one, with a new key, for the same order.
import type { CreatePaymentRequest, MpmOption, PaymentView } from '../../shared/api';
import type { Money } from '../../shared/money';
import { isOpen, isPaid } from '../../shared/payment';
import { PROVIDER_LABELS } from '../../shared/providers';
import { PaymentAttempt } from './attempt-core';
import type { CorePhase, FlowError, MpmDeps, MpmPhase, MpmState, StrategyPhases } from './attempt-types';
import { m } from '../../paraglide/messages.js';

export function initialMpmState(orderId: string, amount: Money, option: MpmOption): MpmState {
  return {
    phase: 'creating',
    orderId,
    amount: { ...amount },
    option: { ...option },
    idempotencyKey: null,
    attempt: 0,
    payment: null,
    qr: null,
    error: null,
    sendFailures: 0,
  };
}

const MPM_FAILURE: Record<string, () => FlowError> = {
  failed: () => ({ code: 'failed', message: m.display_not_paid() }),
  cancelled: () => ({ code: 'cancelled', message: m.mpm_provider_cancelled() }),
  reversed: () => ({ code: 'reversed', message: m.err_reversed() }),
};

/** Milliseconds until the QR expires (0 when past), or null without a readable expiry. */
export function msLeft(qr: MpmState['qr'], now: number): number | null {
  const at = qr ? Date.parse(qr.expiresAt) : NaN;
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The option a followed payment was made with (it may not be the one the cashier just tapped). */
export function optionOf(current: MpmOption, p: PaymentView): MpmOption {
  if (current.provider === p.provider && (!current.vendor || current.vendor === p.vendor)) return current;
  return { provider: p.provider, ...(p.vendor ? { vendor: p.vendor } : {}), label: `${PROVIDER_LABELS[p.provider]} QR` };
}

/** Test id suffix of an option: `mpm-option-<provider>-<vendor|default>`. */
export function mpmOptionId(o: MpmOption): string {
  return `${o.provider}-${o.vendor ?? 'default'}`;
}

export class MpmAttempt extends PaymentAttempt<MpmPhase, MpmState> {
  protected readonly phases: StrategyPhases<MpmPhase> = {
    sending: 'creating',
    refused: 'failed',
    renewing: 'renewing',
    resting: ['expired', 'failed'],
  };
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(state: MpmState, deps: MpmDeps) {
    super(state, deps);
  }

  /** Milliseconds until the QR expires (0 when past), or null without a QR. */
  remainingMs(now = this.now()): number | null {
    return msLeft(this.state.qr, now);
  }

  /** Asks for the first QR. */
  start(): boolean {
    if (this.disposed || this.state.attempt !== 0) return false;
    this.begin();
    return true;
  }

  /** After expiry or a failure: kill the old QR at the provider if it may still be payable, then a new one. */
  newCode(): boolean {
    const phase = this.state.phase;
    if (this.disposed || (phase !== 'expired' && phase !== 'failed')) return false;
    this.renew();
    return true;
  }

  protected request(): CreatePaymentRequest {
    const s = this.state;
    return {
      orderId: s.orderId,
      amount: { ...s.amount },
      mode: 'mpm',
      provider: s.option.provider,
      ...(s.option.vendor ? { vendor: s.option.vendor } : {}),
    };
  }

  protected openPhase(p: PaymentView): MpmPhase | CorePhase {
    if (p.status === 'unknown') return 'checking';
    if (p.status === 'created') return 'creating';
    return this.remainingMs() === 0 ? 'expired' : 'showing';
  }

  protected closed(p: PaymentView, cancelRequested: boolean): void {
    const s = this.state;
    const failed = !cancelRequested && p.status !== 'expired';
    s.error = failed ? (p.failure ? { ...p.failure } : (MPM_FAILURE[p.status] ?? MPM_FAILURE.failed)()) : null;
    s.phase = cancelRequested ? 'cancelled' : failed ? 'failed' : 'expired';
  }

  protected canFollow(p: PaymentView): boolean {
    return this.state.attempt === 0 && p.mode === 'mpm';
  }

  /** Only a payment this screen can show: paid, or open with a QR (a scanned-code payment in progress is not). */
  protected canAdopt(p: PaymentView): boolean {
    return isPaid(p.status) || (isOpen(p.status) && !!p.qr);
  }

  protected takeUp(p: PaymentView): void {
    this.state.option = optionOf(this.state.option, p);
  }

  protected updated(p: PaymentView): void {
    if (p.qr) this.state.qr = { ...p.qr };
  }

  protected beginning(): void {
    this.state.qr = null;
  }

  /** Moves the screen to "expired" when the QR's time is up, even before the proxy says so. */
  protected opened(): void {
    this.stopped();
    const left = this.remainingMs();
    if (this.state.phase !== 'showing' || left === null || left === 0) return;
    const id = this.state.payment?.id;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      const s = this.state;
      if (this.disposed || s.payment?.id !== id || s.phase !== 'showing') return;
      if (this.remainingMs() === 0) s.phase = 'expired';
      else this.opened();
    }, left + 50);
  }

  protected stopped(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }
}
