// Calls for the "Needs attention" screen: the list and the staff actions the proxy offers for each item
// (routes/staff.ts). The proxy says which actions exist and which need a supervisor PIN; the PIN travels in
// X-Staff-Pin and is never stored. A refund carries an Idempotency-Key made once per refund request, so a
// retry after a lost answer cannot refund twice.
import type { AttentionItem, AttentionList, PaymentView, RefundResponse, StaffAction } from '../../shared/api';
import type { Money } from '../../shared/money';
import { api } from '../../lib/api/client';

export function fetchAttention(): Promise<AttentionList> {
  return api.attention();
}

/** What is left to refund on a payment, as far as the kiosk can tell (the proxy checks again). */
export function refundable(item: AttentionItem): Money {
  const p = item.payment;
  const pending = item.refunds.filter((r) => r.status !== 'failed' && r.status !== 'succeeded').reduce((n, r) => n + r.amount.value, 0);
  return { value: Math.max(0, p.amount.value - p.refundedAmount.value - pending), currency: p.amount.currency };
}

export interface ActionRequest {
  pin?: string;
  /** Refunds only: the Idempotency-Key (reuse it when retrying the same refund). */
  key?: string;
  amount?: Money;
}

/** Runs one of the item's actions; resolves with the payment as the proxy now sees it. */
export async function runAction(item: AttentionItem, action: StaffAction, req: ActionRequest = {}): Promise<PaymentView> {
  const route = item.routes[action];
  const id = encodeURIComponent(item.payment.id);
  const path = route?.path ?? (action === 'refund' ? `/api/payments/${id}/refunds` : `/api/payments/${id}/${action}`);
  if (action === 'refund') {
    const r = await api.staffAction<RefundResponse>(
      path,
      { amount: req.amount ?? refundable(item) },
      { pin: req.pin, idempotencyKey: req.key },
    );
    return r.payment;
  }
  return api.staffAction<PaymentView>(path, {}, { pin: req.pin });
}

export function needsPin(item: AttentionItem, action: StaffAction): boolean {
  return item.routes[action]?.supervisorPin ?? (action === 'void' || action === 'refund' || action === 'acknowledge');
}
