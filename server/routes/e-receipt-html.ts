// The e-receipt page's HTML: one self-contained document (inline styles only — the CSP allows no scripts
// from elsewhere and this page needs none), readable on a 390 px phone, in the reader's language (labels from
// messages/*.json through the compiled paraglide messages, imported one module a message so the server loads
// only this page's; right-to-left for Arabic, the CSS in logical
// properties so it mirrors). Every value is escaped; what the store wrote (names, address, footer, items) is
// isolated in <bdi>, so an English footer on an Arabic page keeps its punctuation where it belongs.
import { ereceipt_net } from '../../src/paraglide/messages/ereceipt_net.js';
import { ereceipt_not_found } from '../../src/paraglide/messages/ereceipt_not_found.js';
import { ereceipt_not_found_hint } from '../../src/paraglide/messages/ereceipt_not_found_hint.js';
import { ereceipt_number } from '../../src/paraglide/messages/ereceipt_number.js';
import { ereceipt_paid_with } from '../../src/paraglide/messages/ereceipt_paid_with.js';
import { ereceipt_refund } from '../../src/paraglide/messages/ereceipt_refund.js';
import { ereceipt_tax_no } from '../../src/paraglide/messages/ereceipt_tax_no.js';
import { ereceipt_title } from '../../src/paraglide/messages/ereceipt_title.js';
import { ereceipt_total } from '../../src/paraglide/messages/ereceipt_total.js';
import { ereceipt_transaction } from '../../src/paraglide/messages/ereceipt_transaction.js';
import { ereceipt_voided } from '../../src/paraglide/messages/ereceipt_voided.js';
import { getTextDirection } from '../../src/paraglide/runtime.js';
import type { KioskLanguage } from '../../src/shared/languages.ts';

export interface ReceiptPage {
  storeName: string;
  address: string | null;
  taxId: string | null;
  receiptNo: string;
  when: string;
  /** `quantity` 1 shows no count; `name` as the store wrote it. */
  lines: { quantity: number; name: string; amount: string }[];
  total: string;
  wallet: string;
  providerRef: string | null;
  refunds: { when: string; amount: string }[];
  /** After refunds; null when nothing was refunded. */
  net: string | null;
  /** The sale was reversed: the money went back whole. */
  voided: boolean;
  footer: string | null;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const bdi = (s: string) => `<bdi>${escape(s)}</bdi>`;

const STYLE = `
body{margin:0;background:#f3f4f6;font:16px/1.4 system-ui,sans-serif;color:#111}
main{max-width:420px;margin:0 auto;padding:16px}
article{background:#fff;border-radius:10px;padding:20px;box-shadow:0 1px 3px #0002}
h1{font-size:1.25rem;margin:0 0 4px;text-align:center}
.muted{color:#555;font-size:.9rem;text-align:center;margin:0}
table{width:100%;border-collapse:collapse;margin:14px 0}
td{padding:4px 0;vertical-align:top;text-align:start}td.amt{text-align:end;white-space:nowrap;padding-inline-start:12px}
.total td{font-weight:700;font-size:1.15rem;border-top:1px dashed #999;padding-top:8px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:12px 0 0}dt{color:#555}dd{margin:0;text-align:end;overflow-wrap:anywhere}
footer{text-align:center;margin-top:16px;color:#555}`;

function doc(lang: KioskLanguage, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}" dir="${getTextDirection(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function renderNotFoundPage(lang: KioskLanguage): string {
  const o = { locale: lang };
  const title = ereceipt_not_found({}, o);
  return doc(lang, title, `<article><h1>${escape(title)}</h1><p class="muted">${escape(ereceipt_not_found_hint({}, o))}</p></article>`);
}

export function renderReceiptPage(r: ReceiptPage, lang: KioskLanguage): string {
  const o = { locale: lang };
  /** `text` is HTML already escaped. */
  const row = (text: string, amount: string, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><td>${text}</td><td class="amt">${escape(amount)}</td></tr>`;
  const lines = r.lines.map((l) => row(`${l.quantity > 1 ? `${l.quantity} × ` : ''}${bdi(l.name)}`, l.amount)).join('');
  const refunds = r.refunds.map((x) => row(escape(ereceipt_refund({ date: x.when }, o)), x.amount)).join('');
  const info: [string, string][] = [
    [ereceipt_number({}, o), r.receiptNo],
    [ereceipt_paid_with({}, o), r.wallet],
    ...(r.providerRef ? ([[ereceipt_transaction({}, o), r.providerRef]] as [string, string][]) : []),
    ...(r.taxId ? ([[ereceipt_tax_no({}, o), r.taxId]] as [string, string][]) : []),
  ];
  const body = `<article data-testid="e-receipt">
<h1>${bdi(r.storeName)}</h1>
${r.address ? `<p class="muted">${bdi(r.address)}</p>` : ''}
<p class="muted">${escape(r.when)}</p>
${r.voided ? `<p class="muted"><strong>${escape(ereceipt_voided({}, o))}</strong></p>` : ''}
<table>${lines}${row(escape(ereceipt_total({}, o)), r.total, 'total')}${refunds}${r.net ? row(escape(ereceipt_net({}, o)), r.net, 'total') : ''}</table>
<dl>${info.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${bdi(v)}</dd>`).join('')}</dl>
${r.footer ? `<footer>${bdi(r.footer)}</footer>` : ''}
</article>`;
  return doc(lang, ereceipt_title({ number: r.receiptNo, store: r.storeName }, o), body);
}
