// Why a payment is on the "Needs attention" list, and what staff may do about it (issue 4). The flag itself
// is written by transition.ts (one write path, pushed over SSE); this module only names the reasons and the
// actions, each of which is a real route (routes/staff.ts, routes/payments.ts).
import type { StaffAction, StaffActionRoute } from '../../src/shared/api.ts';
import { isOpen, type PaymentStatus } from '../../src/shared/payment.ts';

export type { StaffAction } from '../../src/shared/api.ts';

export const ATTENTION = {
  /** The reconciler asked the provider several times in a row and got no answer. Cleared by the next answer. */
  noAnswer: 'provider_not_answering',
  /** The provider reported a capture after we had recorded `expired`: money arrived late. */
  latePayment: 'late_payment',
  /** The provider reports a capture on a payment we had closed as failed/cancelled. */
  paidAfterClose: 'paid_after_close',
  /** The provider's amount for this transaction differs from ours; never marked paid on its word. */
  amountMismatch: 'amount_mismatch',
  /** A refund has had no verdict from the provider for several rounds (it is still being re-sent). */
  refundUnconfirmed: 'refund_unconfirmed',
  /** A supervisor's void was sent but the provider has not confirmed the reversal. */
  voidUnconfirmed: 'void_unconfirmed',
  /** The provider shows the whole amount returned, more than our refunds of a partly refunded payment. */
  returnedElsewhere: 'returned_elsewhere',
} as const;
export type AttentionReason = (typeof ATTENTION)[keyof typeof ATTENTION];

const MESSAGES: Record<AttentionReason, string> = {
  provider_not_answering:
    'The wallet provider has not answered our status checks. The payment is still being checked; do not hand over goods until it settles.',
  late_payment:
    'The customer paid after the payment window had closed. Check whether the sale was completed another way; refund if it was.',
  paid_after_close:
    'The provider reports money captured on a payment we had closed. Check with the customer; refund if the sale was paid another way.',
  amount_mismatch: 'The provider reports a different amount for this payment than the kiosk asked for. Compare with the provider portal.',
  refund_unconfirmed:
    'A refund was sent but the provider has not confirmed it yet. It is being re-sent (safely: the provider de-duplicates it); re-check later.',
  void_unconfirmed: 'A void was sent but the provider has not confirmed the reversal yet. Re-check before voiding again or refunding.',
  returned_elsewhere:
    'The provider shows the whole amount returned to the customer, more than the refunds recorded here. Compare with the provider portal.',
};

export function attentionMessage(reason: string | null): string {
  return (reason && MESSAGES[reason as AttentionReason]) || 'Staff should check this payment with the provider.';
}

/** Staff actions that exist for a payment in this status. */
export function staffActions(status: PaymentStatus): StaffAction[] {
  if (isOpen(status)) return ['recheck', 'cancel'];
  if (status === 'succeeded') return ['recheck', 'void', 'refund', 'acknowledge'];
  if (status === 'partially_refunded') return ['recheck', 'refund', 'acknowledge'];
  return ['recheck', 'acknowledge'];
}

export function actionRoute(paymentId: string, action: StaffAction): StaffActionRoute {
  const base = `/api/payments/${encodeURIComponent(paymentId)}`;
  return {
    method: 'POST',
    path: action === 'refund' ? `${base}/refunds` : `${base}/${action}`,
    supervisorPin: action === 'void' || action === 'refund' || action === 'acknowledge',
  };
}
