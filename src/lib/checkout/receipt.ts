// What the receipt shows, frozen at the moment the payment succeeded (the cart is cleared right after), or
// rebuilt from the history's sale detail for a reprint. 80 mm paper holds ~42 characters a line: ids are
// the short receipt number and the provider reference's printed end, never a UUID.
import type { PaymentDetail, PaymentView, TerminalInfo } from '../../shared/api';
import { VENDOR_LABELS } from '../../shared/classify';
import type { Money } from '../../shared/money';
import { shortRef } from '../../shared/short-ref';
import { lineTotal, type CartLine } from './cart-math';

export interface ReceiptLine {
  name: string;
  qty: number;
  unitPrice: Money;
  total: Money;
}

export interface Receipt {
  storeName: string;
  address?: string;
  taxId?: string;
  locale: string;
  footer?: string;
  orderId: string;
  paymentId: string;
  /** YYYYMMDD-NNNN; absent only for sales from before receipt numbers existed. */
  receiptNo?: string;
  /** The e-receipt page's path (/r/<token>): shown as a QR for the customer's phone. */
  receiptPath?: string;
  providerRef: string | null;
  wallet: string;
  amount: Money;
  lines: ReceiptLine[];
  /** Succeeded refunds (reprints after a refund). */
  refunds: { at: string; amount: Money }[];
  paidAt: string;
  reprint?: boolean;
}

const walletOf = (p: PaymentView) => (p.vendor ? VENDOR_LABELS[p.vendor] : p.provider);

export function printedRef(ref: string | null): string {
  return ref ? shortRef(ref) : '—';
}

export function buildReceipt(terminal: TerminalInfo, lines: readonly CartLine[], payment: PaymentView): Receipt {
  const s = terminal.store;
  return {
    storeName: s.name,
    ...(s.address ? { address: s.address } : {}),
    ...(s.taxId ? { taxId: s.taxId } : {}),
    locale: s.locale,
    footer: s.receiptFooter,
    orderId: payment.orderId,
    paymentId: payment.id,
    ...(payment.receipt ? { receiptNo: payment.receipt.number, receiptPath: payment.receipt.path } : {}),
    providerRef: payment.providerRef,
    wallet: walletOf(payment),
    amount: { ...payment.amount },
    lines: lines.map((l) => ({ name: l.name, qty: l.qty, unitPrice: { ...l.unitPrice }, total: lineTotal(l) })),
    refunds: [],
    paidAt: payment.updatedAt || new Date().toISOString(),
  };
}

/** The same receipt again, from the sale as the proxy has it now (with any refunds). */
export function receiptFromDetail(terminal: TerminalInfo, d: PaymentDetail): Receipt {
  const p = d.payment;
  const paidAt = d.timeline.find((t) => t.kind === 'status' && t.to === 'succeeded' && t.applied)?.at ?? p.createdAt;
  return {
    storeName: d.store.name,
    ...(d.store.address ? { address: d.store.address } : {}),
    ...(d.store.taxId ? { taxId: d.store.taxId } : {}),
    locale: terminal.store.locale,
    footer: terminal.store.receiptFooter,
    orderId: p.orderId,
    paymentId: p.id,
    ...(p.receipt ? { receiptNo: p.receipt.number, receiptPath: p.receipt.path } : {}),
    providerRef: p.providerRef,
    wallet: walletOf(p),
    amount: { ...p.amount },
    lines: d.lines.map((l) => ({
      name: l.name,
      qty: l.quantity,
      unitPrice: l.unitPrice,
      total: { value: l.unitPrice.value * l.quantity, currency: l.unitPrice.currency },
    })),
    refunds: d.refunds.filter((r) => r.status === 'succeeded').map((r) => ({ at: r.updatedAt, amount: r.amount })),
    paidAt,
    reprint: true,
  };
}
