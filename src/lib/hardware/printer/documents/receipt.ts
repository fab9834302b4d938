// The sale receipt on paper: the same facts as the on-screen ReceiptView, labels from print_* messages.
import { m } from '../../../../paraglide/messages.js';
import type { Locale } from '../../../../paraglide/runtime.js';
import { formatMoney } from '../../../../shared/money';
import { printedRef, type Receipt } from '../../../checkout/receipt';
import type { Block, PrintDocument } from '../layout';

export interface ReceiptPrintOptions {
  lang: Locale;
  /** Absolute origin for the e-receipt link (the path alone is useless on a phone). */
  origin: string;
  logo: boolean;
}

export function receiptDocument(r: Receipt, opts: ReceiptPrintOptions): PrintDocument {
  const locale = { locale: opts.lang };
  const money = (v: Receipt['amount']) => formatMoney(v, r.locale);
  const at = new Date(r.paidAt);
  const blocks: Block[] = [];
  if (opts.logo) blocks.push({ kind: 'logo' });
  blocks.push({ kind: 'text', text: r.storeName, align: 'center', bold: true, big: true });
  if (r.address) blocks.push({ kind: 'text', text: r.address, align: 'center' });
  if (r.taxId) blocks.push({ kind: 'text', text: m.print_tax_id({ id: r.taxId }, locale), align: 'center' });
  blocks.push({ kind: 'text', text: `${at.toLocaleDateString(r.locale)} ${at.toLocaleTimeString(r.locale)}`, align: 'center' });
  if (r.reprint) blocks.push({ kind: 'text', text: m.print_copy({}, locale), align: 'center', bold: true });
  blocks.push({ kind: 'rule' });
  for (const line of r.lines) {
    blocks.push({ kind: 'pair', left: line.qty > 1 ? `${line.qty} x ${line.name}` : line.name, right: money(line.total) });
  }
  if (r.lines.length > 0) blocks.push({ kind: 'rule' });
  blocks.push({ kind: 'pair', left: m.print_total({}, locale), right: money(r.amount), bold: true });
  for (const refund of r.refunds) {
    const date = new Date(refund.at).toLocaleDateString(r.locale);
    blocks.push({ kind: 'pair', left: m.print_refund_on({ date }, locale), right: `-${money(refund.amount)}` });
  }
  blocks.push({ kind: 'rule' });
  if (r.receiptNo) blocks.push({ kind: 'pair', left: m.print_receipt_no({}, locale), right: r.receiptNo });
  blocks.push({ kind: 'pair', left: m.print_paid_with({}, locale), right: r.wallet });
  blocks.push({ kind: 'pair', left: m.print_transaction({}, locale), right: printedRef(r.providerRef) });
  if (r.receiptPath) {
    blocks.push({ kind: 'feed', lines: 1 });
    blocks.push({ kind: 'qr', value: new URL(r.receiptPath, opts.origin).href });
    blocks.push({ kind: 'text', text: m.print_ereceipt_hint({}, locale), align: 'center' });
  }
  blocks.push({ kind: 'feed', lines: 1 });
  blocks.push({ kind: 'text', text: r.footer ?? m.print_thank_you({}, locale), align: 'center' });
  return { name: 'receipt', lang: opts.lang, blocks };
}
