// The e-receipt page's HTML: one self-contained document (inline styles only — the CSP allows no scripts
// from elsewhere and this page needs none), readable on a 390 px phone. Every value is escaped.

export interface ReceiptPage {
  storeName: string;
  address: string | null;
  taxId: string | null;
  receiptNo: string;
  when: string;
  lines: { text: string; amount: string }[];
  total: string;
  wallet: string;
  providerRef: string | null;
  refunds: { when: string; amount: string }[];
  /** After refunds; null when nothing was refunded. */
  net: string | null;
  /** "Voided" when the sale was reversed: the money went back whole. */
  note: string | null;
  footer: string | null;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body{margin:0;background:#f3f4f6;font:16px/1.4 system-ui,sans-serif;color:#111}
main{max-width:420px;margin:0 auto;padding:16px}
article{background:#fff;border-radius:10px;padding:20px;box-shadow:0 1px 3px #0002}
h1{font-size:1.25rem;margin:0 0 4px;text-align:center}
.muted{color:#555;font-size:.9rem;text-align:center;margin:0}
table{width:100%;border-collapse:collapse;margin:14px 0}
td{padding:4px 0;vertical-align:top}td.amt{text-align:right;white-space:nowrap;padding-left:12px}
.total td{font-weight:700;font-size:1.15rem;border-top:1px dashed #999;padding-top:8px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:12px 0 0}dt{color:#555}dd{margin:0;text-align:right;overflow-wrap:anywhere}
footer{text-align:center;margin-top:16px;color:#555}`;

function doc(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function renderReceiptPage(r: ReceiptPage | null): string {
  if (!r)
    return doc('Receipt not found', '<article><h1>Receipt not found</h1><p class="muted">Check the link or ask the store.</p></article>');
  const row = (text: string, amount: string, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><td>${escape(text)}</td><td class="amt">${escape(amount)}</td></tr>`;
  const lines = r.lines.map((l) => row(l.text, l.amount)).join('');
  const refunds = r.refunds.map((x) => row(`Refund ${x.when}`, `−${x.amount}`)).join('');
  const info: [string, string][] = [
    ['Receipt', r.receiptNo],
    ['Paid with', r.wallet],
    ...(r.providerRef ? ([['Transaction', r.providerRef]] as [string, string][]) : []),
    ...(r.taxId ? ([['Tax no.', r.taxId]] as [string, string][]) : []),
  ];
  const body = `<article data-testid="e-receipt">
<h1>${escape(r.storeName)}</h1>
${r.address ? `<p class="muted">${escape(r.address)}</p>` : ''}
<p class="muted">${escape(r.when)}</p>
${r.note ? `<p class="muted"><strong>${escape(r.note)}</strong></p>` : ''}
<table>${lines}${row('Total', r.total, 'total')}${refunds}${r.net ? row('Paid after refunds', r.net, 'total') : ''}</table>
<dl>${info.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join('')}</dl>
${r.footer ? `<footer>${escape(r.footer)}</footer>` : ''}
</article>`;
  return doc(`Receipt ${r.receiptNo} — ${r.storeName}`, body);
}
