// Decisions of the merchant-QR flow that need no machine state: the starting state, which phases lock the
// order on screen, how a failure reads, and which existing payment of the order may be followed instead of
// making another QR (a lost answer or a reload can leave the proxy with one we do not know about).
import type { MpmOption, PaymentView } from '../../shared/api';
import type { Money } from '../../shared/money';
import { isOpen, isPaid } from '../../shared/payment';
import type { ApiError } from '../api/errors';
import type { FlowError, PaymentTransport } from './attempt-types';
import { PROVIDER_LABELS, type MpmPhase, type MpmState } from './mpm-types';

export function initialMpmState(orderId: string, amount: Money, option: MpmOption): MpmState {
  return {
    phase: 'creating', orderId, amount: { ...amount }, option: { ...option }, idempotencyKey: null,
    attempt: 0, payment: null, qr: null, error: null, sendFailures: 0,
  };
}

const LOCKED_PHASES: readonly MpmPhase[] = ['creating', 'reconnecting', 'showing', 'checking', 'renewing', 'cancelling'];

/** A QR is being made, shown or cancelled — or expired on our clock but still open at the provider: the
 *  cashier may not leave the screen (nor start another payment for the order). */
export function mpmLocked(s: MpmState): boolean {
  if (LOCKED_PHASES.includes(s.phase)) return true;
  return s.phase === 'expired' && s.payment !== null && isOpen(s.payment.status);
}

/** Phases Cancel acts on (an expired QR that may still be open at the provider included). */
export const CANCELLABLE_PHASES: readonly MpmPhase[] = ['creating', 'reconnecting', 'showing', 'checking', 'renewing', 'expired'];

export const MPM_FAILURE: Record<string, FlowError> = {
  failed: { code: 'failed', message: 'The payment did not go through. No money was taken.' },
  cancelled: { code: 'cancelled', message: 'The provider cancelled this QR. No money was taken.' },
  reversed: { code: 'reversed', message: 'The payment was reversed. No money was taken.' },
};

/** Milliseconds until the QR expires (0 when past), or null without a readable expiry. */
export function msLeft(qr: MpmState['qr'], now: number): number | null {
  const at = qr ? Date.parse(qr.expiresAt) : NaN;
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** A wait the owner can cancel in bulk (dispose clears `timers`). */
export function sleep(timers: Set<ReturnType<typeof setTimeout>>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });
}

export function retryDelay(delays: readonly number[], failures: number): number {
  return delays[Math.min(failures, delays.length) - 1] ?? 1000;
}

/**
 * After "this order already has a payment" (409 from the proxy, or the kiosk's journal): the payment to follow,
 * if it is one this screen can show — paid, or open with a QR. A scanned-code payment in progress is not.
 */
export async function findAdoptable(api: PaymentTransport, err: ApiError, orderId: string): Promise<PaymentView | null> {
  const hinted = (err.details as { paymentId?: unknown } | undefined)?.paymentId;
  let found: PaymentView | undefined;
  if (typeof hinted === 'string') found = await api.getPayment(hinted);
  else if (api.listOrderPayments) found = (await api.listOrderPayments(orderId)).find((p) => isOpen(p.status) || isPaid(p.status));
  if (!found || found.orderId !== orderId) return null;
  return isPaid(found.status) || (isOpen(found.status) && found.qr) ? found : null;
}

/** The option a followed payment was made with (it may not be the one the cashier just tapped). */
export function optionOf(current: MpmOption, p: PaymentView): MpmOption {
  if (current.provider === p.provider && (!current.vendor || current.vendor === p.vendor)) return current;
  return { provider: p.provider, ...(p.vendor ? { vendor: p.vendor } : {}), label: `${PROVIDER_LABELS[p.provider]} QR` };
}
