// The payment as the kiosk sees it (src/shared/api.ts PaymentView). Internal columns (idempotency key,
// request hash, our provider reference, masked code, scheduling) stay on the server.
import type { HistoryPayment, PaymentView } from '../../src/shared/api.ts';
import type { Payment } from '../store/payments.ts';

export function toPaymentView(p: Payment): PaymentView {
  return {
    id: p.id,
    orderId: p.orderId,
    status: p.status,
    mode: p.mode,
    provider: p.provider,
    vendor: p.vendor,
    amount: p.amount,
    refundedAmount: p.refunded,
    providerRef: p.providerRef,
    ...(p.qr ? { qr: p.qr } : {}),
    ...(p.failure ? { failure: p.failure } : {}),
    needsAttention: p.needsAttention,
    ...(p.late ? { late: true } : {}),
    ...(p.receiptNo && p.receiptToken ? { receipt: { number: p.receiptNo, path: `/r/${p.receiptToken}` } } : {}),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** A sale in the history list: the view plus which terminal took it and the customer code's last digits. */
export function toHistoryPayment(p: Payment): HistoryPayment {
  return { ...toPaymentView(p), terminalId: p.terminalId, codeSuffix: p.codeMasked ? p.codeMasked.slice(-4) : null };
}
