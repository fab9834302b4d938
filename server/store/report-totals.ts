// The day report's payment and refund groups from the running totals (migration 0021): the window's whole
// quarter hours are read from payment_totals / refund_totals (a few hundred rows a day, whatever the number of
// payments), and only a window edge that falls inside a quarter hour — a day that starts where an earlier Z
// closed — is read from the rows themselves (store/day-totals.ts: at most 15 minutes of payments each side).
import type { Kysely } from 'kysely';
import { paymentGroups, refundGroups, type PaymentGroup, type RefundGroup, type ReportScope, type Window } from './day-totals.ts';
import type { Database } from './schema.ts';

const QUARTER_HOUR_MS = 15 * 60_000;

/** The bucket an ISO-8601 UTC instant falls in, as the triggers write it ('YYYY-MM-DDTHH:MM', minutes 00/15/30/45). */
export function bucketOf(iso: string): string {
  const minute = Number(iso.slice(14, 16));
  return `${iso.slice(0, 14)}${String(minute - (minute % 15)).padStart(2, '0')}`;
}

/** The window as whole buckets [from, to) (bucket names) and the partial edges left over, as row windows. */
export function splitWindow(w: Window): { buckets: { from: string; to: string } | null; edges: Window[] } {
  const from = Date.parse(w.from);
  const to = Date.parse(w.to);
  const first = Math.ceil(from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const end = Math.floor(to / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  if (!(first < end)) return { buckets: null, edges: [w] };
  const iso = (ms: number) => new Date(ms).toISOString();
  const edges: Window[] = [];
  if (from < first) edges.push({ from: w.from, to: iso(first) });
  if (end < to) edges.push({ from: iso(end), to: w.to });
  return { buckets: { from: bucketOf(iso(first)), to: bucketOf(iso(end)) }, edges };
}

function terminalsOf(db: Kysely<Database>, scope: ReportScope) {
  return scope.kind === 'terminal'
    ? db.selectFrom('terminals').select('id').where('id', '=', scope.terminalId)
    : db.selectFrom('terminals').select('id').where('store_id', '=', scope.storeId);
}

/** The payment totals' query for whole buckets [from, to), not yet run (tests read its plan). */
export function paymentTotalsQuery(db: Kysely<Database>, scope: ReportScope, buckets: { from: string; to: string }) {
  return db
    .selectFrom('payment_totals')
    .select((eb) => ['currency', 'provider', 'vendor', 'status', eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('amount').as('amount')])
    .where('terminal_id', 'in', terminalsOf(db, scope))
    .where('bucket', '>=', buckets.from)
    .where('bucket', '<', buckets.to)
    .groupBy(['currency', 'provider', 'vendor', 'status']);
}

/** The succeeded refunds' totals for whole buckets [from, to), not yet run (tests read its plan). */
export function refundTotalsQuery(db: Kysely<Database>, scope: ReportScope, buckets: { from: string; to: string }) {
  return db
    .selectFrom('refund_totals as t')
    .leftJoin('staff as s', 's.id', 't.staff_id')
    .select((eb) => [
      't.currency',
      't.provider',
      't.vendor',
      't.staff_id',
      's.name as staff_name',
      eb.fn.sum<number>('t.n').as('n'),
      eb.fn.sum<number>('t.amount').as('amount'),
    ])
    .where('t.status', '=', 'succeeded')
    .where('t.terminal_id', 'in', terminalsOf(db, scope))
    .where('t.bucket', '>=', buckets.from)
    .where('t.bucket', '<', buckets.to)
    .groupBy(['t.currency', 't.provider', 't.vendor', 't.staff_id', 's.name']);
}

/** Sums groups with the same key; drops groups that sum to nothing (a status every payment has since left). */
function merge<G extends { count: number; amount: number }>(groups: G[], key: (g: G) => string[]): G[] {
  const byKey = new Map<string, G>();
  for (const g of groups) {
    const k = JSON.stringify(key(g));
    const seen = byKey.get(k);
    if (seen) {
      seen.count += g.count;
      seen.amount += g.amount;
    } else byKey.set(k, { ...g });
  }
  // Sorted as SQLite's GROUP BY returned the row scan's groups (NULL first), so the report's order is as before.
  const order = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return order.map(([, g]) => g).filter((g) => g.count !== 0);
}

const paymentKey = (g: PaymentGroup) => [g.currency, g.provider, g.vendor ?? '', g.status];
const refundKey = (g: RefundGroup) => [g.currency, g.provider, g.vendor ?? '', g.staffId ?? ''];

/** The window's payments by currency, provider, wallet and status (as day-totals.ts paymentGroups). */
export async function paymentGroupsFromTotals(db: Kysely<Database>, scope: ReportScope, w: Window): Promise<PaymentGroup[]> {
  const { buckets, edges } = splitWindow(w);
  const [whole, ...edgeGroups] = await Promise.all([
    buckets ? paymentTotalsQuery(db, scope, buckets).execute() : [],
    ...edges.map((e) => paymentGroups(db, scope, e)),
  ]);
  const groups: PaymentGroup[] = whole.map((r) => ({
    currency: r.currency,
    provider: r.provider,
    vendor: r.vendor === '' ? null : r.vendor,
    status: r.status,
    count: Number(r.n),
    amount: Number(r.amount),
  }));
  return merge([...groups, ...edgeGroups.flat()], paymentKey);
}

/** Succeeded refunds made in the window, by who made them (as day-totals.ts refundGroups). */
export async function refundGroupsFromTotals(db: Kysely<Database>, scope: ReportScope, w: Window): Promise<RefundGroup[]> {
  const { buckets, edges } = splitWindow(w);
  const [whole, ...edgeGroups] = await Promise.all([
    buckets ? refundTotalsQuery(db, scope, buckets).execute() : [],
    ...edges.map((e) => refundGroups(db, scope, e)),
  ]);
  const groups: RefundGroup[] = whole.map((r) => ({
    currency: r.currency,
    provider: r.provider,
    vendor: r.vendor === '' ? null : r.vendor,
    staffId: r.staff_id === '' ? null : r.staff_id,
    staffName: r.staff_name,
    count: Number(r.n),
    amount: Number(r.amount),
  }));
  return merge([...groups, ...edgeGroups.flat()], refundKey);
}
