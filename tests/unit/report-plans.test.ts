// The day report reads only the day (issue 11: under 100 ms p95 at 100,000 payments). SQLite's plan for the
// refund totals, as the proxy runs it (no ANALYZE statistics), seeks the window's range of succeeded refunds
// and reads nothing else of the refunds table: not all of it, and not every succeeded refund of all time; the
// open payments' list seeks the window's open payments, not every payment of the day. The running totals
// (migration 0021) are read as one range of quarter hours per terminal of their primary key (the table itself:
// WITHOUT ROWID, so the read is covering).
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPaymentsQuery, paymentGroupsQuery, refundGroupsQuery, type ReportScope } from '../../server/store/day-totals.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { paymentTotalsQuery, refundTotalsQuery } from '../../server/store/report-totals.ts';

let store: Store;
beforeAll(async () => {
  store = await openMigratedStore('sqlite::memory:');
});
afterAll(async () => store?.close());

const WINDOW = { from: '2026-12-04T05:00:00.000Z', to: '2026-12-05T05:00:00.000Z' };

async function plan(q: { compile(): CompiledQuery }): Promise<string[]> {
  const c = q.compile();
  const r = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${c.sql}`, [...c.parameters]));
  return r.rows.map((row) => row.detail);
}

describe('day report: refund totals (SQLite plan)', () => {
  for (const scope of [
    { kind: 'store', storeId: 'demo-us' },
    { kind: 'terminal', terminalId: 't1' },
  ] as ReportScope[]) {
    it(`${scope.kind} scope: one covering range of the window's succeeded refunds`, async () => {
      const refunds = (await plan(refundGroupsQuery(store.db, scope, WINDOW))).filter((d) => / r( |$)/.test(d));
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatch(/^SEARCH r USING COVERING INDEX \S+ \(status=\? AND created_at>\? AND created_at<\?\)$/);
    });
  }
  for (const scope of [
    { kind: 'store', storeId: 'demo-us' },
    { kind: 'terminal', terminalId: 't1' },
  ] as ReportScope[]) {
    it(`${scope.kind} scope: the open payments are sought by status within the window`, async () => {
      const payments = (await plan(openPaymentsQuery(store.db, scope, WINDOW))).filter((d) => /payments/.test(d));
      expect(payments).toHaveLength(1);
      expect(payments[0]).toMatch(/^SEARCH payments USING INDEX report_payments_open \(status=\? AND created_at>\? AND created_at<\?\)$/);
    });
  }
});

describe('day report: payment groups (SQLite plan)', () => {
  for (const scope of [
    { kind: 'store', storeId: 'demo-us' },
    { kind: 'terminal', terminalId: 't1' },
  ] as ReportScope[]) {
    it(`${scope.kind} scope: the day's groups from an index alone, then one covering range per group (count and sum together)`, async () => {
      const payments = (await plan(paymentGroupsQuery(store.db, scope, WINDOW))).filter((d) => /^SEARCH (payments|p) /.test(d));
      expect(payments).toEqual([
        expect.stringMatching(
          /^SEARCH payments USING COVERING INDEX report_payments_day_groups \(terminal_id=\? AND created_at>\? AND created_at<\?\)$/,
        ),
        expect.stringMatching(
          /^SEARCH p USING COVERING INDEX report_payments_groups \(terminal_id=\? AND status=\? AND .*created_at>\? AND created_at<\?\)$/,
        ),
      ]);
    });
  }
});

describe('day report: running totals (SQLite plan)', () => {
  const BUCKETS = { from: '2026-12-04T05:00', to: '2026-12-05T05:00' };
  for (const scope of [
    { kind: 'store', storeId: 'demo-us' },
    { kind: 'terminal', terminalId: 't1' },
  ] as ReportScope[]) {
    it(`${scope.kind} scope: the window's quarter hours, one key range per terminal, for payments and refunds`, async () => {
      for (const [table, q] of [
        ['payment_totals', paymentTotalsQuery(store.db, scope, BUCKETS)],
        ['t', refundTotalsQuery(store.db, scope, BUCKETS)],
      ] as const) {
        const totals = (await plan(q)).filter((d) => new RegExp(`^(SEARCH|SCAN) ${table}( |$)`).test(d));
        expect(totals).toEqual([expect.stringMatching(/ USING PRIMARY KEY \(terminal_id=\? AND bucket>\? AND bucket<\?\)$/)]);
      }
    });
  }
});
