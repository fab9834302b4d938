// The refund slip handed to the customer (History → sale detail → refund).
import { m } from '../../../../paraglide/messages.js';
import type { Locale } from '../../../../paraglide/runtime.js';
import type { PaymentDetail, RefundView } from '../../../../shared/api';
import { formatMoney } from '../../../../shared/money';
import type { PrintDocument } from '../layout';

function statusLabel(status: RefundView['status'], lang: Locale): string {
  if (status === 'succeeded') return m.print_refund_succeeded({}, { locale: lang });
  if (status === 'failed') return m.print_refund_failed({}, { locale: lang });
  return m.print_refund_pending({}, { locale: lang });
}

export function refundSlipDocument(detail: PaymentDetail, refund: RefundView, storeLocale: string, lang: Locale): PrintDocument {
  const locale = { locale: lang };
  return {
    name: 'refund-slip',
    lang,
    blocks: [
      { kind: 'text', text: detail.store.name, align: 'center', bold: true, big: true },
      ...(detail.store.address ? [{ kind: 'text' as const, text: detail.store.address, align: 'center' as const }] : []),
      { kind: 'text', text: m.print_refund_title({}, locale), align: 'center', bold: true },
      { kind: 'text', text: new Date(refund.createdAt).toLocaleString(storeLocale), align: 'center' },
      { kind: 'rule' },
      { kind: 'pair', left: m.print_amount({}, locale), right: formatMoney(refund.amount, storeLocale), bold: true },
      { kind: 'rule' },
      { kind: 'pair', left: m.print_original_receipt({}, locale), right: detail.payment.receipt?.number ?? '-' },
      { kind: 'pair', left: m.print_status({}, locale), right: statusLabel(refund.status, lang) },
      { kind: 'feed', lines: 1 },
    ],
  };
}
