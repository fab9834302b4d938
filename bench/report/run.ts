// Day report p95 with 100,000 payments of one business day in SQLite (issue 11: under 100 ms). The store has
// four terminals; 5 % of the payments have a refund that day, and as many refunds were made on each of the 30
// days before (--refund-days). Measured: the store-scope and terminal-scope totals the
// route computes (reconciliation excluded: it waits on the provider, not the database). Baseline, same run and
// database: one count-and-sum over the same day's rows (the least any day total can cost); and the payment
// groups as they were read before (count and sum as two subqueries: two-reads.ts).
// npm run bench:report [-- --payments 100000 --runs 60 --refund-days 30 --analyze]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { dayBounds } from '../../server/reports/business-day.ts';
import { dayTotals } from '../../server/reports/day-report.ts';
import { openMigratedStore } from '../../server/store/db.ts';
import { openPayments, paymentGroups, refundGroups } from '../../server/store/day-totals.ts';
import { paymentGroupsTwoReads } from './two-reads.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const PAYMENTS = arg('payments', 100_000);
const RUNS = arg('runs', 60);
const HISTORY_DAYS = arg('refund-days', 30);
const TZ = 'America/New_York';
const DATE = '2026-12-04';

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  const store = await openMigratedStore(`sqlite:${join(dir, 'kiosk.db')}`);
  const { db } = store;
  const now = new Date().toISOString();
  const terminals = ['t1', 't2', 't3', 't4'];
  for (const id of terminals)
    await db
      .insertInto('terminals')
      .values({ id, store_id: 'demo-us', name: id, token_hash: `h-${id}`, created_at: now, revoked_at: null })
      .execute();
  const { from } = dayBounds(DATE, TZ);
  const start = Date.parse(from);
  const statuses = ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'partially_refunded', 'pending', 'cancelled'];
  const t0 = performance.now();
  for (let i = 0; i < PAYMENTS; i += 1000) {
    await db.transaction().execute(async (trx) => {
      const rows = [];
      for (let j = i; j < Math.min(i + 1000, PAYMENTS); j++) {
        const at = new Date(start + Math.floor((j / PAYMENTS) * 86_399_000)).toISOString();
        rows.push({
          id: `p${j}`,
          terminal_id: terminals[j % 4],
          order_id: `o${j}`,
          idempotency_key: `k${j}`,
          request_hash: 'h',
          status: statuses[j % statuses.length],
          mode: 'cpm',
          provider: 'pockyt',
          vendor: j % 3 ? 'alipay' : 'wechatpay',
          amount_value: 100 + (j % 5000),
          currency: 'USD',
          refunded_value: 0,
          reference: `r${j}`,
          provider_ref: `pr${j}`,
          code_masked: null,
          qr_payload: null,
          qr_expires_at: null,
          qr_short_code: null,
          failure_code: null,
          failure_message: null,
          needs_attention: 0,
          attention_reason: null,
          attention_at: null,
          late: 0,
          next_check_at: null,
          action_claim: null,
          action_kind: null,
          action_since: null,
          created_at: at,
          updated_at: at,
        });
      }
      await trx.insertInto('payments').values(rows).execute();
      const refunds = rows
        .filter((_, k) => k % 20 === 0)
        .map((p) => ({
          id: `rf-${p.id}`,
          payment_id: p.id,
          terminal_id: p.terminal_id,
          idempotency_key: `rk-${p.id}`,
          request_hash: 'h',
          refund_reference: `rr-${p.id}`,
          amount_value: 50,
          currency: 'USD',
          status: 'succeeded',
          provider_ref: null,
          failure_code: null,
          failure_message: null,
          staff_id: null,
          created_at: p.created_at,
          updated_at: p.created_at,
        }));
      await trx.insertInto('refunds').values(refunds).execute();
      // A month of earlier refunds (as many each day): a report that reads beyond its day pays for them.
      for (let d = 1; d <= HISTORY_DAYS; d++) {
        const shift = (iso: string) => new Date(Date.parse(iso) - d * 86_400_000).toISOString();
        const earlier = refunds.map((r) => ({
          ...r,
          id: `${r.id}-d${d}`,
          idempotency_key: `${r.idempotency_key}-d${d}`,
          refund_reference: `${r.refund_reference}-d${d}`,
          created_at: shift(r.created_at),
          updated_at: shift(r.updated_at),
        }));
        await trx.insertInto('refunds').values(earlier).execute();
      }
    });
  }
  // The proxy never runs ANALYZE: its plans are the planner's without statistics, and so are these
  // (--analyze to measure with them).
  if (process.argv.includes('--analyze')) await sql`analyze`.execute(db);
  console.log(`seeded ${PAYMENTS} payments in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const w = dayBounds(DATE, TZ);
  const time = async (f: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < 3; i++) await f();
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await f();
      xs.push(performance.now() - s);
    }
    return xs;
  };
  const baseline = await time(() =>
    db
      .selectFrom('payments')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('amount_value').as('s')])
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .execute(),
  );
  const store_ = { kind: 'store', storeId: 'demo-us' } as const;
  const storeScope = await time(() => dayTotals(db, store_, w));
  const terminalScope = await time(() => dayTotals(db, { kind: 'terminal', terminalId: 't1' }, w));
  // Where the store scope's time goes: its three reads alone (dayTotals runs them together).
  const parts = {
    payments: await time(() => paymentGroups(db, store_, w)),
    paymentsTwoReads: await time(() => paymentGroupsTwoReads(db, store_, w)),
    refunds: await time(() => refundGroups(db, store_, w)),
    open: await time(() => openPayments(db, store_, w)),
  };
  const row = (name: string, xs: number[]) => `| ${name} | ${median(xs).toFixed(1)} | ${p95(xs).toFixed(1)} |`;
  console.log(`\n${PAYMENTS} payments, ${RUNS} runs each (ms)\n| query | median | p95 |\n| --- | --- | --- |`);
  console.log(row('baseline: count+sum of the day', baseline));
  console.log(row('day report, store scope (4 terminals)', storeScope));
  console.log(row('day report, terminal scope', terminalScope));
  console.log(row('  store scope part: payment groups', parts.payments));
  console.log(row('  previous payment groups (count, sum: two reads)', parts.paymentsTwoReads));
  console.log(row('  store scope part: refund groups', parts.refunds));
  console.log(row('  store scope part: open payments', parts.open));
  // Both ways must agree, or the comparison means nothing.
  const key = (g: { currency: string; provider: string; vendor: string | null; status: string; count: number; amount: number }) =>
    `${g.currency}|${g.provider}|${g.vendor}|${g.status}|${g.count}|${g.amount}`;
  const now_ = (await paymentGroups(db, store_, w)).map(key).sort();
  const before = (await paymentGroupsTwoReads(db, store_, w)).map(key).sort();
  if (JSON.stringify(now_) !== JSON.stringify(before))
    throw new Error(`payment groups differ:\n${now_.join('\n')}\n---\n${before.join('\n')}`);
  console.log(`1-min load average: ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
