// Whether the running totals (migration 0021) still equal what the rows say, and a rebuild for when they do
// not. The triggers keep them in the same transaction as every write, so drift means something outside SQL
// changed the database (a restore of one table, a file copied mid-write): `npm run totals -- check` after a
// restore, `-- rebuild` to recompute them. The grouping here is written apart from the triggers' on purpose,
// so a mistake in one shows as drift instead of agreeing with itself.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

const bucket = (column: string) =>
  sql<string>`substr(${sql.ref(column)}, 1, 14) || substr('00153045', (cast(substr(${sql.ref(column)}, 15, 2) as integer) / 15) * 2 + 1, 2)`;

function paymentTotalsFromRows(db: Kysely<Database>) {
  const rows = db
    .selectFrom('payments')
    .select((eb) => [
      'terminal_id',
      bucket('created_at').as('bucket'),
      'currency',
      'provider',
      eb.fn.coalesce('vendor', sql.lit('')).as('vendor'),
      'status',
      'amount_value',
    ]);
  return db
    .selectFrom(rows.as('p'))
    .select((eb) => [
      'terminal_id',
      'bucket',
      'currency',
      'provider',
      'vendor',
      'status',
      eb.fn.countAll().as('n'),
      eb.fn.sum('amount_value').as('amount'),
    ])
    .groupBy(['terminal_id', 'bucket', 'currency', 'provider', 'vendor', 'status']);
}

function refundTotalsFromRows(db: Kysely<Database>) {
  const rows = db
    .selectFrom('refunds as r')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .select((eb) => [
      'r.terminal_id',
      bucket('r.created_at').as('bucket'),
      'r.currency',
      'p.provider',
      eb.fn.coalesce('p.vendor', sql.lit('')).as('vendor'),
      eb.fn.coalesce('r.staff_id', sql.lit('')).as('staff_id'),
      'r.status',
      'r.amount_value',
    ]);
  const keys = ['terminal_id', 'bucket', 'currency', 'provider', 'vendor', 'staff_id', 'status'] as const;
  return db
    .selectFrom(rows.as('x'))
    .select((eb) => [...keys, eb.fn.countAll().as('n'), eb.fn.sum('amount_value').as('amount')])
    .groupBy([...keys]);
}

export interface Drift {
  table: 'payment_totals' | 'refund_totals';
  key: Record<string, string>;
  /** What the rows say, and what the totals table holds. */
  fromRows: { count: number; amount: number };
  inTotals: { count: number; amount: number };
}

type Row = Record<string, unknown> & { n: unknown; amount: unknown };

function compare(table: Drift['table'], fromRows: Row[], inTotals: Row[]): Drift[] {
  const keyOf = (r: Row) => {
    const { n: _n, amount: _a, ...key } = r;
    return Object.fromEntries(Object.entries(key).map(([k, v]) => [k, String(v)]));
  };
  const zero = { count: 0, amount: 0 };
  const seen = new Map<string, { key: Record<string, string>; fromRows: Drift['fromRows']; inTotals: Drift['inTotals'] }>();
  for (const [side, rows] of [
    ['fromRows', fromRows],
    ['inTotals', inTotals],
  ] as const) {
    for (const r of rows) {
      const key = keyOf(r);
      const k = JSON.stringify(Object.entries(key).sort());
      const entry = seen.get(k) ?? { key, fromRows: zero, inTotals: zero };
      entry[side] = { count: Number(r.n), amount: Number(r.amount) };
      seen.set(k, entry);
    }
  }
  return [...seen.values()]
    .filter((e) => e.fromRows.count !== e.inTotals.count || e.fromRows.amount !== e.inTotals.amount)
    .map((e) => ({ table, ...e }));
}

/** Every total that differs from a recount of the rows (empty: none). One snapshot on both databases. */
export async function totalsDrift(db: Kysely<Database>): Promise<Drift[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const [payRows, payTotals, refRows, refTotals] = [
        await paymentTotalsFromRows(trx).execute(),
        await trx.selectFrom('payment_totals').selectAll().execute(),
        await refundTotalsFromRows(trx).execute(),
        await trx.selectFrom('refund_totals').selectAll().execute(),
      ];
      return [...compare('payment_totals', payRows, payTotals), ...compare('refund_totals', refRows, refTotals)];
    });
}

/** Recomputes both tables from the rows, with writers held off (Postgres: a share lock; SQLite: its one writer). */
export async function rebuildTotals(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`lock table payments, refunds in share mode`.execute(trx);
    await trx.deleteFrom('payment_totals').execute();
    await trx.deleteFrom('refund_totals').execute();
    await trx
      .insertInto('payment_totals')
      .columns(['terminal_id', 'bucket', 'currency', 'provider', 'vendor', 'status', 'n', 'amount'])
      .expression(paymentTotalsFromRows(trx))
      .execute();
    await trx
      .insertInto('refund_totals')
      .columns(['terminal_id', 'bucket', 'currency', 'provider', 'vendor', 'staff_id', 'status', 'n', 'amount'])
      .expression(refundTotalsFromRows(trx))
      .execute();
  });
}
