// The payment as the kiosk sees it (src/shared/api.ts PaymentView). Internal columns (idempotency key,
// request hash, our provider reference, masked code, scheduling) stay on the server.
import type { PaymentView } from '../../src/shared/api.ts';
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
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
