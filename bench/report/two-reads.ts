// The payment groups' query as it was before issue 11's follow-up (server/store/day-totals.ts then): the
// same groups, but count and sum as two correlated subqueries, so every group's range of the index was read
// twice. Kept only so bench:report measures the change against it in the same run.
import type { Kysely } from 'kysely';
import type { PaymentGroup, ReportScope, Window } from '../../server/store/day-totals.ts';
import type { Database } from '../../server/store/schema.ts';

export async function paymentGroupsTwoReads(db: Kysely<Database>, scope: ReportScope, w: Window): Promise<PaymentGroup[]> {
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
  const rows = await db
    .selectFrom(groups.as('g'))
    .select((eb) => {
      const inGroup = () => {
        const q = eb
          .selectFrom('payments as p')
          .whereRef('p.status', '=', 'g.status')
          .whereRef('p.currency', '=', 'g.currency')
          .whereRef('p.provider', '=', 'g.provider')
          .whereRef('p.vendor', 'is not distinct from', 'g.vendor')
          .where('p.created_at', '>=', w.from)
          .where('p.created_at', '<', w.to);
        return scope.kind === 'terminal'
          ? q.where('p.terminal_id', '=', scope.terminalId)
          : q.where('p.terminal_id', 'in', eb.selectFrom('terminals').select('id').where('store_id', '=', scope.storeId));
      };
      return [
        'g.currency',
        'g.provider',
        'g.vendor',
        'g.status',
        inGroup()
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('n'),
        inGroup()
          .select((e) => e.fn.sum<number>('p.amount_value').as('total'))
          .as('total'),
      ];
    })
    .execute();
  return rows.map((r) => ({
    currency: r.currency,
    provider: r.provider,
    vendor: r.vendor,
    status: r.status,
    count: Number(r.n),
    amount: Number(r.total),
  }));
}
