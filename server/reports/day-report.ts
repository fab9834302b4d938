// The day report (X: running totals; Z: the same, frozen when the day is closed). A business day is a date in
// the store's zone; its window starts where the previous day's Z of the same scope ended (so what happens
// after a close — a late refund, a sale after closing time — lands on the next day) and ends at local
// midnight, or at the close of this day's own Z.
import type { Kysely } from 'kysely';
import type { Money } from '../../src/shared/money.ts';
import {
  openPayments,
  OPEN_LIST_LIMIT,
  paymentGroups,
  refundGroups,
  type OpenPaymentRow,
  type ReportScope,
  type Window,
} from '../store/day-totals.ts';
import { paymentGroupsFromTotals, refundGroupsFromTotals } from '../store/report-totals.ts';
import type { Database } from '../store/schema.ts';
import { findZ, type ZReport } from '../store/z-reports.ts';
import { addDays, dayBounds } from './business-day.ts';
import { capturedHere } from './compare.ts';

export interface Line {
  gross: Money;
  refunds: Money;
  net: Money;
  salesCount: number;
  refundsCount: number;
}

export interface CurrencyTotals extends Line {
  byProvider: Record<string, Line>;
  byWallet: Record<string, Line>;
}

export interface DayTotals {
  currencies: Record<string, CurrencyTotals>;
  open: { count: number; payments: OpenPaymentRow[] };
  staff: { staffId: string | null; name: string | null; refunds: Money; refundsCount: number }[];
}

const line = (currency: string): Line => ({
  gross: { value: 0, currency },
  refunds: { value: 0, currency },
  net: { value: 0, currency },
  salesCount: 0,
  refundsCount: 0,
});

function add(l: Line, sale: number, saleCount: number, refund: number, refundCount: number): void {
  l.gross.value += sale;
  l.salesCount += saleCount;
  l.refunds.value += refund;
  l.refundsCount += refundCount;
  l.net.value = l.gross.value - l.refunds.value;
}

export interface GroupReads {
  payments: typeof paymentGroups;
  refunds: typeof refundGroups;
}

/** The groups from the running totals (migration 0021), what the route uses. */
export const FROM_TOTALS: GroupReads = { payments: paymentGroupsFromTotals, refunds: refundGroupsFromTotals };
/** The groups from the payment and refund rows: the totals' oracle in tests, and bench/report's "before". */
export const FROM_ROWS: GroupReads = { payments: paymentGroups, refunds: refundGroups };

export async function dayTotals(db: Kysely<Database>, scope: ReportScope, w: Window, reads: GroupReads = FROM_TOTALS): Promise<DayTotals> {
  const [payments, refunds, open] = await Promise.all([
    reads.payments(db, scope, w),
    reads.refunds(db, scope, w),
    openPayments(db, scope, w),
  ]);
  const currencies: Record<string, CurrencyTotals> = {};
  const at = (currency: string, provider: string, vendor: string | null) => {
    const c = (currencies[currency] ??= { ...line(currency), byProvider: {}, byWallet: {} });
    const wallet = vendor ?? provider;
    return [c, (c.byProvider[provider] ??= line(currency)), (c.byWallet[wallet] ??= line(currency))];
  };
  let openCount = 0;
  for (const g of payments) {
    if (g.status === 'created' || g.status === 'pending' || g.status === 'unknown') openCount += g.count;
    if (!capturedHere(g.status)) continue;
    // A reversal (a cancel that gave a captured payment back) returns the whole amount on the same payment.
    const reversed = g.status === 'reversed' ? g.amount : 0;
    for (const l of at(g.currency, g.provider, g.vendor)) add(l, g.amount, g.count, reversed, g.status === 'reversed' ? g.count : 0);
  }
  const staff = new Map<string, DayTotals['staff'][number]>();
  for (const r of refunds) {
    for (const l of at(r.currency, r.provider, r.vendor)) add(l, 0, 0, r.amount, r.count);
    const key = `${r.staffId ?? ''}|${r.currency}`;
    const s = staff.get(key) ?? { staffId: r.staffId, name: r.staffName, refunds: { value: 0, currency: r.currency }, refundsCount: 0 };
    s.refunds.value += r.amount;
    s.refundsCount += r.count;
    staff.set(key, s);
  }
  // By currency, then staff (refunds by no one first): the same order whichever way the groups were read.
  const byStaff = [...staff.values()].sort(
    (a, b) => a.refunds.currency.localeCompare(b.refunds.currency) || (a.staffId ?? '').localeCompare(b.staffId ?? ''),
  );
  return { currencies, open: { count: openCount, payments: open.slice(0, OPEN_LIST_LIMIT) }, staff: byStaff };
}

/** The window of `date` for a scope: after the previous day's Z (if any), to midnight or this day's Z. */
export async function dayWindow(
  db: Kysely<Database>,
  scope: 'terminal' | 'store',
  scopeKey: string,
  date: string,
  timeZone: string,
): Promise<{ window: Window; z: ZReport | undefined }> {
  const z = await findZ(db, scope, scopeKey, date);
  if (z) return { window: { from: z.windowStart, to: z.windowEnd }, z };
  const bounds = dayBounds(date, timeZone);
  const previous = await findZ(db, scope, scopeKey, addDays(date, -1));
  // A previous Z closed before its midnight moves this day's start back to that close.
  return { window: { from: previous?.windowEnd ?? bounds.from, to: bounds.to }, z: undefined };
}
