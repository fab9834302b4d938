// Day report p95 with 100,000 payments of one business day in SQLite (issue 11: under 100 ms). The store has
// four terminals; 5 % of the payments have a refund that day, and as many refunds were made on each of the 30
// days before (--refund-days). Measured: the store-scope and terminal-scope totals the
// route computes (reconciliation excluded: it waits on the provider, not the database). Baseline, same run and
// database: one count-and-sum over the same day's rows (the least any day total can cost); and the payment
// groups as they were read before (count and sum as two subqueries: two-reads.ts, and without migration
// 0017's report_payments_day_groups index), in alternating blocks.
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
  const terminal_ = { kind: 'terminal', terminalId: 't1' } as const;
  // Now and before issue 11's follow-up (migration 0017's report_payments_day_groups index dropped, payment
  // groups read twice: two-reads.ts), in alternating blocks of half the runs so drift in the machine's load
  // falls on both alike.
  const INDEX = 'report_payments_day_groups';
  const withIndex = async (on: boolean) =>
    on
      ? sql`create index if not exists ${sql.raw(INDEX)} on payments (terminal_id, created_at, status, currency, provider, vendor)`.execute(
          db,
        )
      : sql`drop index if exists ${sql.raw(INDEX)}`.execute(db);
  const sets = {
    now: {
      store: () => dayTotals(db, store_, w),
      terminal: () => dayTotals(db, terminal_, w),
      payments: () => paymentGroups(db, store_, w),
    },
    before: {
      store: () => dayTotals(db, store_, w, paymentGroupsTwoReads),
      terminal: () => dayTotals(db, terminal_, w, paymentGroupsTwoReads),
      payments: () => paymentGroupsTwoReads(db, store_, w),
    },
  };
  const xs: Record<string, number[]> = {};
  const half = Math.max(1, Math.floor(RUNS / 2));
  for (const round of [0, 1]) {
    for (const which of ['now', 'before'] as const) {
      await withIndex(which === 'now');
      for (const [k, f] of Object.entries(sets[which])) {
        for (let i = 0; i < (round === 0 ? 3 : 0); i++) await f();
        for (let i = 0; i < half; i++) {
          const s0 = performance.now();
          await f();
          (xs[`${which}.${k}`] ??= []).push(performance.now() - s0);
        }
      }
    }
  }
  await withIndex(true);
  // The store scope's other two reads alone (dayTotals runs all three together).
  const refunds = await time(() => refundGroups(db, store_, w));
  const open = await time(() => openPayments(db, store_, w));
  const pair = (name: string, k: string) =>
    `| ${name} | ${median(xs[`before.${k}`]).toFixed(1)} | ${p95(xs[`before.${k}`]).toFixed(1)} | ${median(xs[`now.${k}`]).toFixed(1)} | ${p95(xs[`now.${k}`]).toFixed(1)} |`;
  const one = (name: string, v: number[]) => `| ${name} | | | ${median(v).toFixed(1)} | ${p95(v).toFixed(1)} |`;
  console.log(`\n${PAYMENTS} payments, ${half * 2} runs each (ms)`);
  console.log('| query (ms) | before: median | before: p95 | after: median | after: p95 |\n| --- | --- | --- | --- | --- |');
  console.log(one('baseline: count+sum of the day', baseline));
  console.log(pair('day report, store scope (4 terminals)', 'store'));
  console.log(pair('day report, terminal scope', 'terminal'));
  console.log(pair('part: payment groups (store)', 'payments'));
  console.log(one('part: refund groups (store)', refunds));
  console.log(one('part: open payments (store)', open));
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
