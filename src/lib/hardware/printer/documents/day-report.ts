// The X (running) or Z (closed) day report on paper: per currency gross, refunds, net, then by provider and
// by wallet. Differences with the providers stay on screen (Day close) — they need a person, not paper.
import { m } from '../../../../paraglide/messages.js';
import type { Locale } from '../../../../paraglide/runtime.js';
import type { DayReport } from '../../../../shared/api';
import { formatMoney } from '../../../../shared/money';
import type { Block, PrintDocument } from '../layout';

type Totals = DayReport['currencies'][string];

function totalsBlocks(t: Totals, storeLocale: string, lang: Locale): Block[] {
  const locale = { locale: lang };
  const money = (v: Totals['gross']) => formatMoney(v, storeLocale);
  const blocks: Block[] = [
    { kind: 'pair', left: m.print_report_sales_count({}, locale), right: String(t.salesCount) },
    { kind: 'pair', left: m.print_report_gross({}, locale), right: money(t.gross) },
    { kind: 'pair', left: `${m.print_report_refunds({}, locale)} (${t.refundsCount})`, right: `-${money(t.refunds)}` },
    { kind: 'pair', left: m.print_report_net({}, locale), right: money(t.net), bold: true },
  ];
  for (const [title, rows] of [
    [m.print_report_by_provider({}, locale), t.byProvider],
    [m.print_report_by_wallet({}, locale), t.byWallet],
  ] as const) {
    const names = Object.keys(rows);
    if (names.length === 0) continue;
    blocks.push({ kind: 'text', text: title, bold: true });
    for (const name of names) blocks.push({ kind: 'pair', left: `  ${name} (${rows[name].salesCount})`, right: money(rows[name].net) });
  }
  return blocks;
}

export function dayReportDocument(report: DayReport, storeLocale: string, lang: Locale, printedAt = new Date()): PrintDocument {
  const locale = { locale: lang };
  const title = report.closed ? m.print_report_z({ number: report.closed.number }, locale) : m.print_report_x({}, locale);
  const blocks: Block[] = [
    { kind: 'text', text: title, align: 'center', bold: true, big: true },
    { kind: 'text', text: m.print_report_day({ date: report.date }, locale), align: 'center' },
    {
      kind: 'text',
      text:
        report.scope === 'store'
          ? m.print_report_scope_store({}, locale)
          : m.print_report_scope_terminal({ id: report.terminalId ?? '-' }, locale),
      align: 'center',
    },
  ];
  if (report.closed?.closedBy.name) {
    blocks.push({ kind: 'text', text: m.print_report_closed_by({ name: report.closed.closedBy.name }, locale), align: 'center' });
  }
  for (const currency of Object.keys(report.currencies).sort()) {
    blocks.push({ kind: 'rule' }, { kind: 'text', text: currency, bold: true });
    blocks.push(...totalsBlocks(report.currencies[currency], storeLocale, lang));
  }
  blocks.push({ kind: 'rule' });
  blocks.push({ kind: 'text', text: m.print_report_open({ count: report.open.count }, locale) });
  blocks.push({ kind: 'text', text: m.print_printed_at({ at: printedAt.toLocaleString(storeLocale) }, locale) });
  blocks.push({ kind: 'feed', lines: 1 });
  return { name: 'day-report', lang, blocks };
}
