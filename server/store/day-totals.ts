// The day report's reads from the rows: payments and refunds of a window, grouped in the database (one pass
// each over the created_at index), for one terminal or every terminal of one store. The report itself reads the
// running totals (report-totals.ts) and comes here only for a window edge inside a quarter hour; the tests
// compare the two. The open payments' list and a reconciliation's payments are always read here.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

export type ReportScope = { kind: 'terminal'; terminalId: string } | { kind: 'store'; storeId: string };

export interface Window {
  from: string;
  to: string;
}

export interface PaymentGroup {
  currency: string;
  provider: string;
  vendor: string | null;
  status: string;
  count: number;
  amount: number;
}

export interface RefundGroup {
  currency: string;
  provider: string;
  vendor: string | null;
  staffId: string | null;
  staffName: string | null;
  count: number;
  amount: number;
}

export interface OpenPaymentRow {
  id: string;
  terminalId: string;
  status: string;
  provider: string;
  vendor: string | null;
  amount: number;
  currency: string;
  providerRef: string | null;
  createdAt: string;
}

/** Payments open (no verdict yet) are listed up to this many; the count is always exact. */
export const OPEN_LIST_LIMIT = 100;

function inStore(storeId: string) {
  return sql<boolean>`terminal_id in (select id from terminals where store_id = ${storeId})`;
}

/**
 * The window's payments by currency, provider, wallet and status. A GROUP BY would sort every payment of the
 * day (SQLite has no hash aggregate: 190 ms at 100,000); instead the day's distinct groups are read first (a
 * de-duplicating pass over the created_at index, no sort), then each group is counted and summed as one range
 * of the report_payments_groups index (migration 0014), from the index alone. Count and sum come out of that
 * one range read together: a scalar subquery answers one value, so they travel as one text `count:sum`
 * (two subqueries, one for each, read every group's range twice: bench/report).
 */
export function paymentGroupsQuery(db: Kysely<Database>, scope: ReportScope, w: Window) {
  let groups = db
    .selectFrom('payments')
    .select(['currency', 'provider', 'vendor', 'status'])
    .distinct()
    .where('created_at', '>=', w.from)
    .where('created_at', '<', w.to);
  // Both scopes as a set of terminals, so the planner reads the day's range of the created_at index, never a
  // terminal's whole history through report_payments_groups.
  groups = groups.where(
    'terminal_id',
    'in',
    scope.kind === 'terminal'
      ? db.selectFrom('terminals').select('id').where('id', '=', scope.terminalId)
      : db.selectFrom('terminals').select('id').where('store_id', '=', scope.storeId),
  );
  return db.selectFrom(groups.as('g')).select((eb) => {
    let inGroup = eb
      .selectFrom('payments as p')
      .whereRef('p.status', '=', 'g.status')
      .whereRef('p.currency', '=', 'g.currency')
      .whereRef('p.provider', '=', 'g.provider')
      .whereRef('p.vendor', 'is not distinct from', 'g.vendor')
      .where('p.created_at', '>=', w.from)
      .where('p.created_at', '<', w.to);
    inGroup =
      scope.kind === 'terminal'
        ? inGroup.where('p.terminal_id', '=', scope.terminalId)
        : inGroup.where('p.terminal_id', 'in', eb.selectFrom('terminals').select('id').where('store_id', '=', scope.storeId));
    return [
      'g.currency',
      'g.provider',
      'g.vendor',
      'g.status',
      inGroup
        .select(sql<string>`cast(count(*) as text) || ':' || cast(coalesce(sum(p.amount_value), 0) as text)`.as('count_sum'))
        .as('count_sum'),
    ];
  });
}

export async function paymentGroups(db: Kysely<Database>, scope: ReportScope, w: Window): Promise<PaymentGroup[]> {
  const rows = await paymentGroupsQuery(db, scope, w).execute();
  return rows.map((r) => {
    const [count, amount] = String(r.count_sum ?? '0:0').split(':');
    return { currency: r.currency, provider: r.provider, vendor: r.vendor, status: r.status, count: Number(count), amount: Number(amount) };
  });
}

/** The refund groups' query, not yet run (tests read its plan). */
export function refundGroupsQuery(db: Kysely<Database>, scope: ReportScope, w: Window) {
  let q = db
    .selectFrom('refunds as r')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .leftJoin('staff as s', 's.id', 'r.staff_id')
    .select((eb) => [
      'r.currency as currency',
      'p.provider as provider',
      'p.vendor as vendor',
      'r.staff_id as staffId',
      's.name as staffName',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('r.amount_value').as('total'),
    ])
    .where('r.status', '=', 'succeeded')
    .where('r.created_at', '>=', w.from)
    .where('r.created_at', '<', w.to);
  q =
    scope.kind === 'terminal'
      ? q.where('r.terminal_id', '=', scope.terminalId)
      : q.where(sql<boolean>`r.terminal_id in (select id from terminals where store_id = ${scope.storeId})`);
  return q.groupBy(['r.currency', 'p.provider', 'p.vendor', 'r.staff_id', 's.name']);
}

/** Succeeded refunds made in the window (whatever day their payment was), by who made them. */
export async function refundGroups(db: Kysely<Database>, scope: ReportScope, w: Window): Promise<RefundGroup[]> {
  const rows = await refundGroupsQuery(db, scope, w).execute();
  return rows.map((r) => ({
    currency: r.currency,
    provider: r.provider,
    vendor: r.vendor,
    staffId: r.staffId,
    staffName: r.staffName,
    count: Number(r.n),
    amount: Number(r.total),
  }));
}

/** The open payments' query, not yet run (tests read its plan). */
export function openPaymentsQuery(db: Kysely<Database>, scope: ReportScope, w: Window) {
  let q = db
    .selectFrom('payments')
    .select(['id', 'terminal_id', 'status', 'provider', 'vendor', 'amount_value', 'currency', 'provider_ref', 'created_at'])
    .where('created_at', '>=', w.from)
    .where('created_at', '<', w.to)
    .where('status', 'in', ['created', 'pending', 'unknown']);
  // A terminal as a set of one (as paymentGroups does): with `terminal_id = ?` the planner walks that till's
  // whole day instead of seeking the window's open payments (report_payments_open, migration 0016).
  q = q.where(
    'terminal_id',
    'in',
    scope.kind === 'terminal'
      ? db.selectFrom('terminals').select('id').where('id', '=', scope.terminalId)
      : db.selectFrom('terminals').select('id').where('store_id', '=', scope.storeId),
  );
  return q.orderBy('created_at', 'asc').limit(OPEN_LIST_LIMIT);
}

export async function openPayments(db: Kysely<Database>, scope: ReportScope, w: Window): Promise<OpenPaymentRow[]> {
  const rows = await openPaymentsQuery(db, scope, w).execute();
  return rows.map((r) => ({
    id: r.id,
    terminalId: r.terminal_id,
    status: r.status,
    provider: r.provider,
    vendor: r.vendor,
    amount: Number(r.amount_value),
    currency: r.currency,
    providerRef: r.provider_ref,
    createdAt: r.created_at,
  }));
}

/** A store's payments of one provider in the window: our side of a reconciliation. */
export async function storeProviderPayments(db: Kysely<Database>, storeId: string, provider: string, w: Window) {
  const rows = await db
    .selectFrom('payments')
    .select(['id', 'terminal_id', 'status', 'amount_value', 'refunded_value', 'currency', 'reference', 'provider_ref', 'created_at'])
    .where('provider', '=', provider)
    .where('created_at', '>=', w.from)
    .where('created_at', '<', w.to)
    .where(inStore(storeId))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    terminalId: r.terminal_id,
    status: r.status,
    amount: Number(r.amount_value),
    refunded: Number(r.refunded_value),
    currency: r.currency,
    reference: r.reference,
    providerRef: r.provider_ref,
    createdAt: r.created_at,
  }));
}
export type OurPayment = Awaited<ReturnType<typeof storeProviderPayments>>[number];

/** Whether any payment of ours (any store, any day) carries this provider id or reference. */
export async function knownAnywhere(db: Kysely<Database>, provider: string, providerRef: string, reference?: string): Promise<boolean> {
  const r = await db
    .selectFrom('payments')
    .select('id')
    .where('provider', '=', provider)
    .where((eb) =>
      reference ? eb.or([eb('provider_ref', '=', providerRef), eb('reference', '=', reference)]) : eb('provider_ref', '=', providerRef),
    )
    .executeTakeFirst();
  return r !== undefined;
}
