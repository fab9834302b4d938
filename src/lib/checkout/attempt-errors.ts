// How a payment attempt reads failures (shared by the attempt core and the journal wrapper). What matters for
// money is the split between "no verdict" (the request may have arrived: resend with the SAME key) and a
// refusal (nothing was charged: a new attempt is safe) — and "this order already has a payment", which is
// followed rather than failed.
import type { PaymentView } from '../../shared/api';
import { isOpen, isPaid } from '../../shared/payment';
import { ApiError, NetworkError } from '../api/errors';
import type { FlowError, PaymentTransport } from './attempt-types';
import { m } from '../../paraglide/messages.js';

/** No answer, or a 5xx: the proxy may have acted on the request. */
export function lostAnswer(err: unknown): boolean {
  return err instanceof NetworkError || (err instanceof ApiError && err.outcomeUnknown);
}

/** The proxy asked for a pause before this is sent again (429, or 503 with Retry-After): how long, or null. */
export function throttleOf(err: unknown): number | null {
  return err instanceof ApiError ? err.throttleMs : null;
}

export function isServerError(err: unknown): boolean {
  return err instanceof ApiError && err.status >= 500;
}

export function errorOf(err: unknown): FlowError {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'client_error', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Refusals that mean "this order already has a payment": find it and follow it rather than fail.
 * `attempt_unresolved` is the kiosk's own journal saying the same before anything was sent.
 */
export const ADOPTABLE: readonly string[] = ['order_has_open_payment', 'order_already_paid', 'attempt_unresolved'];

/** After an ADOPTABLE refusal: the order's open or paid payment (the one the refusal names, if it does). */
export async function findExistingPayment(api: PaymentTransport, err: ApiError, orderId: string): Promise<PaymentView | null> {
  const hinted = (err.details as { paymentId?: unknown } | undefined)?.paymentId;
  let found: PaymentView | undefined;
  if (typeof hinted === 'string') found = await api.getPayment(hinted);
  else if (api.listOrderPayments) found = (await api.listOrderPayments(orderId)).find((p) => isOpen(p.status) || isPaid(p.status));
  if (!found || found.orderId !== orderId) return null;
  return isOpen(found.status) || isPaid(found.status) ? found : null;
}

const FAILURE_BY_STATUS: Record<string, () => FlowError> = {
  failed: () => ({ code: 'declined', message: m.err_declined() }),
  reversed: () => ({ code: 'reversed', message: m.err_reversed() }),
  expired: () => ({ code: 'expired', message: m.err_expired() }),
  cancelled: () => ({ code: 'cancelled', message: m.err_cancelled() }),
};

/** What the cashier reads when a payment ends without a provider reason, in the language of the moment. */
export function defaultFailure(status: string): FlowError {
  return (FAILURE_BY_STATUS[status] ?? FAILURE_BY_STATUS.failed)();
}

export const notSent = (): FlowError => ({
  code: 'attempt_not_sent',
  message: m.err_attempt_not_sent(),
});
