// /app-data-search/v3/trans-list and /settle-list: Pockyt's own record of a date range, as the official SDKs
// call them (startDate/endDate yyyyMMdd, both required, end not before start; answers `transactions` /
// `settlements` with `size`). Choices where the docs are silent are in README.md ("Lists").
import type { FastifyInstance } from 'fastify';
import { toMajorString } from '../../src/shared/money.ts';
import type { SimContext } from './context.ts';
import type { SimTxn } from './ledger.ts';
import { fail, missing, ok, type Envelope, type Fields } from './protocol.ts';
import { registerPockytRoute } from './route.ts';
import { utc8 } from './time.ts';
import { queryObject } from './views.ts';

/** The most days one call may span (simulator choice). */
const MAX_DAYS = 31;

function range(f: Fields): { start: string; end: string } | Envelope {
  const m = missing(f, ['startDate', 'endDate']);
  if (m) return m;
  const valid = (d: string) => /^\d{8}$/.test(d) && !Number.isNaN(Date.parse(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T00:00:00Z`));
  if (!valid(f.startDate) || !valid(f.endDate)) return fail('000023', 'startDate/endDate must be yyyyMMdd');
  if (f.endDate < f.startDate) return fail('000023', 'endDate should be later than startDate');
  const days =
    (Date.parse(`${f.endDate.slice(0, 4)}-${f.endDate.slice(4, 6)}-${f.endDate.slice(6)}`) -
      Date.parse(`${f.startDate.slice(0, 4)}-${f.startDate.slice(4, 6)}-${f.startDate.slice(6)}`)) /
    86_400_000;
  if (days >= MAX_DAYS) return fail('000023', `at most ${MAX_DAYS} days per call`);
  return { start: f.startDate, end: f.endDate };
}

/** Pockyt's date (UTC+8) of an instant, yyyyMMdd. */
const pockytDate = (ms: number) => utc8(ms).slice(0, 10).replace(/-/g, '');

function within(ms: number | null, r: { start: string; end: string }): boolean {
  if (ms === null) return false;
  const d = pockytDate(ms);
  return d >= r.start && d <= r.end;
}

const isRange = (r: { start: string; end: string } | Envelope): r is { start: string; end: string } => 'start' in r;

export function registerListRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { ledger } = ctx;
  const all = (): SimTxn[] => [...ledger.txns.values()];

  // Every transaction created on the dates, whatever its status, oldest first.
  registerPockytRoute(app, ctx, { canonical: '/app-data-search/v3/trans-list' }, { replayable: false }, (f) => {
    const r = range(f);
    if (!isRange(r)) return r;
    const transactions = all()
      .filter((t) => within(t.createTime, r))
      .sort((a, b) => a.createTime - b.createTime)
      .map((t) => queryObject(t, ledger));
    return ok('query success ', { transactions, size: transactions.length });
  });

  // Paid transactions by the date they were paid, with what is left after refunds (what Pockyt pays out).
  registerPockytRoute(app, ctx, { canonical: '/app-data-search/v3/settle-list' }, { replayable: false }, (f) => {
    const r = range(f);
    if (!isRange(r)) return r;
    const settlements = all()
      .filter((t) => t.status === 'success' && within(t.paymentTime, r))
      .sort((a, b) => (a.paymentTime ?? 0) - (b.paymentTime ?? 0))
      .map((t) => ({
        transactionNo: t.transactionNo,
        reference: t.reference,
        amount: t.amount,
        currency: t.currency,
        settleCurrency: t.settleCurrency,
        settleAmount: toMajorString({ value: t.amountMinor - ledger.refundedMinor(t), currency: t.settleCurrency }),
        refundAmount: toMajorString({ value: ledger.refundedMinor(t), currency: t.currency }),
        vendor: t.vendor ?? null,
        paymentTime: utc8(t.paymentTime ?? 0),
        settleDate: pockytDate(t.paymentTime ?? 0),
      }));
    return ok('query success ', { settlements, size: settlements.length });
  });
}
