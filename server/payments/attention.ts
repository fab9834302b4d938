// Why a payment is on the "Needs attention" list, and what staff may do about it (issue 4). The flag itself
// is written by transition.ts (one write path, pushed over SSE); this module only names the reasons.
import { isOpen, isPaid, type PaymentStatus } from '../../src/shared/payment.ts';

export const ATTENTION = {
  /** The reconciler asked the provider several times in a row and got no answer. Cleared by the next answer. */
  noAnswer: 'provider_not_answering',
  /** The provider reported a capture after we had recorded `expired`: money arrived late. */
  latePayment: 'late_payment',
  /** The provider reports a capture on a payment we had closed as failed/cancelled. */
  paidAfterClose: 'paid_after_close',
  /** The provider's amount for this transaction differs from ours; never marked paid on its word. */
  amountMismatch: 'amount_mismatch',
} as const;
export type AttentionReason = (typeof ATTENTION)[keyof typeof ATTENTION];

const MESSAGES: Record<AttentionReason, string> = {
  provider_not_answering: 'The wallet provider has not answered our status checks. The payment is still being checked; do not hand over goods until it settles.',
  late_payment: 'The customer paid after the payment window had closed. Check whether the sale was completed another way; refund if it was.',
  paid_after_close: 'The provider reports money captured on a payment we had closed. Check with the customer; refund if the sale was paid another way.',
  amount_mismatch: 'The provider reports a different amount for this payment than the kiosk asked for. Compare with the provider portal.',
};

export type StaffAction = 'recheck' | 'cancel' | 'refund';

export function attentionMessage(reason: string | null): string {
  return (reason && MESSAGES[reason as AttentionReason]) || 'Staff should check this payment with the provider.';
}

/** Staff actions that make sense for a flagged payment in this status. Refunds need a supervisor PIN. */
export function staffActions(status: PaymentStatus): StaffAction[] {
  if (isOpen(status)) return ['recheck', 'cancel'];
  if (isPaid(status) && status !== 'refunded') return ['recheck', 'refund'];
  return ['recheck'];
}
