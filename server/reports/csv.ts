// The day report as CSV (Accept: text/csv): the same content as the JSON, one row per figure, amounts in the
// currency's major units (what a spreadsheet user expects) with the currency beside them.
import type { Static } from 'typebox';
import { toMajorString, type Money } from '../../src/shared/money.ts';
import type { DayReport } from '../../src/shared/api-schemas.ts';

const HEADER = [
  'section',
  'currency',
  'provider',
  'wallet',
  'count',
  'gross',
  'refunds',
  'net',
  'status',
  'provider_reference',
  'reference',
  'detail',
];

function cell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote what needs it, and defuse spreadsheet formulas (a provider reference could start with "=").
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const major = (m: Money) => toMajorString(m);

export function dayReportCsv(r: Static<typeof DayReport>): string {
  const rows: (string | number | null)[][] = [HEADER];
  const meta = (k: string, v: string | null) => rows.push(['report', '', '', '', '', '', '', '', '', '', '', `${k}=${v ?? ''}`]);
  meta('kind', r.kind);
  meta('date', r.date);
  meta('timezone', r.timezone);
  meta('scope', r.scope);
  meta('store', r.storeId);
  meta('terminal', r.terminalId);
  meta('from', r.window.from);
  meta('to', r.window.to);
  if (r.closed) meta('z_number', String(r.closed.number));
  for (const [currency, c] of Object.entries(r.currencies)) {
    rows.push([
      'total',
      currency,
      '',
      '',
      c.salesCount,
      major(c.gross),
      major(c.refunds),
      major(c.net),
      '',
      '',
      '',
      `refunds_count=${c.refundsCount}`,
    ]);
    for (const [provider, l] of Object.entries(c.byProvider))
      rows.push([
        'provider',
        currency,
        provider,
        '',
        l.salesCount,
        major(l.gross),
        major(l.refunds),
        major(l.net),
        '',
        '',
        '',
        `refunds_count=${l.refundsCount}`,
      ]);
    for (const [wallet, l] of Object.entries(c.byWallet))
      rows.push([
        'wallet',
        currency,
        '',
        wallet,
        l.salesCount,
        major(l.gross),
        major(l.refunds),
        major(l.net),
        '',
        '',
        '',
        `refunds_count=${l.refundsCount}`,
      ]);
  }
  for (const p of r.open.payments)
    rows.push([
      'open',
      p.currency,
      p.provider,
      p.vendor,
      1,
      major({ value: p.amount, currency: p.currency }),
      '',
      '',
      p.status,
      p.providerRef,
      p.id,
      p.createdAt,
    ]);
  for (const s of r.staff)
    rows.push(['staff', s.refunds.currency, '', '', s.refundsCount, '', major(s.refunds), '', '', '', s.staffId, s.name]);
  for (const rec of Object.values(r.reconciliation)) {
    rows.push(['reconciliation', '', rec.provider, '', rec.matched, '', '', '', rec.status, '', '', rec.error ?? `method=${rec.method}`]);
    for (const d of rec.differences) {
      const amount = (v: number | null) => (v === null || !d.currency ? '' : major({ value: v, currency: d.currency }));
      rows.push([
        'difference',
        d.currency,
        d.provider,
        '',
        '',
        amount(d.oursValue),
        '',
        amount(d.theirsValue),
        d.kind,
        d.providerRef,
        d.reference,
        d.message,
      ]);
    }
  }
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
