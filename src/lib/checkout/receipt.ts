// What the receipt shows, frozen at the moment the payment succeeded (the cart is cleared right after).
import type { PaymentView, TerminalInfo } from '../../shared/api';
import { VENDOR_LABELS } from '../../shared/classify';
import type { Money } from '../../shared/money';
import { lineTotal, type CartLine } from './cart-math';

export interface ReceiptLine {
  name: string;
  qty: number;
  unitPrice: Money;
  total: Money;
}

export interface Receipt {
  storeName: string;
  locale: string;
  footer?: string;
  terminalId: string;
  orderId: string;
  paymentId: string;
  providerRef: string | null;
  wallet: string;
  amount: Money;
  lines: ReceiptLine[];
  paidAt: string;
}

export function buildReceipt(terminal: TerminalInfo, lines: readonly CartLine[], payment: PaymentView): Receipt {
  return {
    storeName: terminal.store.name,
    locale: terminal.store.locale,
    footer: terminal.store.receiptFooter,
    terminalId: terminal.terminalId,
    orderId: payment.orderId,
    paymentId: payment.id,
    providerRef: payment.providerRef,
    wallet: payment.vendor ? VENDOR_LABELS[payment.vendor] : payment.provider,
    amount: { ...payment.amount },
    lines: lines.map((l) => ({ name: l.name, qty: l.qty, unitPrice: { ...l.unitPrice }, total: lineTotal(l) })),
    paidAt: payment.updatedAt || new Date().toISOString(),
  };
}
