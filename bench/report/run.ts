// Day report p95 with 100,000 payments of one business day in SQLite (issue 11: under 100 ms). The store has
// four terminals; 5 % of the payments have a refund that day, and as many refunds were made on each of the 30
// days before (--refund-days). Measured: the store-scope and terminal-scope totals the route computes
// (reconciliation excluded: it waits on the provider, not the database). Baseline, same run and database: one
// count-and-sum over the same day's rows (the least any pass over the day's rows can cost). Before/after, in
// alternating blocks: the groups read from the payment and refund rows (FROM_ROWS, the route until migration
// 0021) and from the running totals (FROM_TOTALS). And the write path's cost of keeping the totals: one payment
// insert plus one status change, with the totals' triggers and without them (dropped and re-created).
// npm run bench:report [-- --payments 100000 --runs 60 --refund-days 30 --analyze]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { dayBounds } from '../../server/reports/business-day.ts';
import { dayTotals, FROM_ROWS, FROM_TOTALS } from '../../server/reports/day-report.ts';
import { openMigratedStore } from '../../server/store/db.ts';
import { openPayments } from '../../server/store/day-totals.ts';
import { paymentGroupsFromTotals, refundGroupsFromTotals } from '../../server/store/report-totals.ts';
import { totalsDrift } from '../../server/store/totals-check.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const PAYMENTS = arg('payments', 100_000);
const RUNS = arg('runs', 60);
const HISTORY_DAYS = arg('refund-days', 30);
const TZ = 'America/New_York';
const DATE = '2026-12-04';

const STATUSES = ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'partially_refunded', 'pending', 'cancelled'];
const TERMINALS = ['t1', 't2', 't3', 't4'];

/** The j-th seeded payment, made at `at`. */
function seedRow(j: number, at: string) {
  return {
    id: `p${j}`,
    terminal_id: TERMINALS[j % 4],
    order_id: `o${j}`,
    idempotency_key: `k${j}`,
    request_hash: 'h',
    status: STATUSES[j % STATUSES.length],
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
  };
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  const store = await openMigratedStore(`sqlite:${join(dir, 'kiosk.db')}`);
  const { db } = store;
  const now = new Date().toISOString();
  for (const id of TERMINALS)
    await db
      .insertInto('terminals')
      .values({ id, store_id: 'demo-us', name: id, token_hash: `h-${id}`, created_at: now, revoked_at: null })
      .execute();
  const { from } = dayBounds(DATE, TZ);
  const start = Date.parse(from);
  const t0 = performance.now();
  for (let i = 0; i < PAYMENTS; i += 1000) {
    await db.transaction().execute(async (trx) => {
      const rows = [];
      for (let j = i; j < Math.min(i + 1000, PAYMENTS); j++) {
        const at = new Date(start + Math.floor((j / PAYMENTS) * 86_399_000)).toISOString();
        rows.push(seedRow(j, at));
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
  const sets = {
    before: { store: () => dayTotals(db, store_, w, FROM_ROWS), terminal: () => dayTotals(db, terminal_, w, FROM_ROWS) },
    after: { store: () => dayTotals(db, store_, w, FROM_TOTALS), terminal: () => dayTotals(db, terminal_, w, FROM_TOTALS) },
  };
  const xs: Record<string, number[]> = {};
  const half = Math.max(1, Math.floor(RUNS / 2));
  const block = async (name: string, f: () => Promise<unknown>, warm: boolean) => {
    for (let i = 0; i < (warm ? 3 : 0); i++) await f();
    for (let i = 0; i < half; i++) {
      const s0 = performance.now();
      await f();
      (xs[name] ??= []).push(performance.now() - s0);
    }
  };
  for (const round of [0, 1])
    for (const which of ['before', 'after'] as const)
      for (const [k, f] of Object.entries(sets[which])) await block(`${which}.${k}`, f, round === 0);
  // The store scope's parts alone (dayTotals runs all three together).
  const paymentsPart = await time(() => paymentGroupsFromTotals(db, store_, w));
  const refundsPart = await time(() => refundGroupsFromTotals(db, store_, w));
  const open = await time(() => openPayments(db, store_, w));
  // A day that starts where an earlier Z closed (inside a quarter hour) and is closed early: both edges from rows.
  const offGrid = { from: new Date(Date.parse(w.from) + 433_000).toISOString(), to: new Date(Date.parse(w.to) - 421_000).toISOString() };
  const edges = await time(() => dayTotals(db, store_, offGrid, FROM_TOTALS));
  const totalsRows = await db
    .selectFrom('payment_totals')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();

  // Both ways must agree, and the totals with the rows, or the comparison means nothing (checked before the
  // write measurement, whose payments written without the triggers are, by design, missing from the totals).
  for (const [scope, win] of [
    [store_, w],
    [terminal_, w],
    [store_, offGrid],
  ] as const) {
    const [a, b] = [await dayTotals(db, scope, win, FROM_ROWS), await dayTotals(db, scope, win, FROM_TOTALS)];
    if (!isDeepStrictEqual(a, b))
      throw new Error(`the reports differ (${scope.kind}): ${JSON.stringify(a.currencies)} / ${JSON.stringify(b.currencies)}`);
  }
  const drift = await totalsDrift(db);
  if (drift.length > 0) throw new Error(`totals drifted: ${JSON.stringify(drift.slice(0, 5))}`);

  // The write path: a payment inserted, then its status changed, one transaction each, as the proxy does.
  let seq = 0;
  const write = async () => {
    const id = `w${++seq}`;
    const at = new Date(start + (seq % 86_000) * 1000).toISOString();
    const row = { ...seedRow(PAYMENTS + seq, at), id, terminal_id: 't1', status: 'pending' };
    await db.transaction().execute((trx) => trx.insertInto('payments').values(row).execute());
    await db.transaction().execute((trx) => trx.updateTable('payments').set({ status: 'succeeded' }).where('id', '=', id).execute());
  };
  const triggers = (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger'`.execute(db)).rows;
  const setTriggers = async (on: boolean) => {
    for (const t of triggers) await sql.raw(on ? t.sql : `drop trigger ${t.name}`).execute(db);
  };
  for (const round of [0, 1]) {
    await setTriggers(false);
    await block('write.without', write, round === 0);
    await setTriggers(true);
    await block('write.with', write, round === 0);
  }

  const cells = (v: number[]) => `${median(v).toFixed(1)} | ${p95(v).toFixed(1)}`;
  const pair = (name: string, before: string, after: string) => `| ${name} | ${cells(xs[before])} | ${cells(xs[after])} |`;
  const one = (name: string, v: number[]) => `| ${name} | | | ${median(v).toFixed(1)} | ${p95(v).toFixed(1)} |`;
  console.log(`\n${PAYMENTS} payments, ${half * 2} runs each (ms); payment_totals rows: ${String(totalsRows.n)}`);
  console.log('| query (ms) | before: median | before: p95 | after: median | after: p95 |\n| --- | --- | --- | --- | --- |');
  console.log(one('baseline: count+sum of the day', baseline));
  console.log(pair('day report, store scope (4 terminals)', 'before.store', 'after.store'));
  console.log(pair('day report, terminal scope', 'before.terminal', 'after.terminal'));
  console.log(one('part: payment groups from totals (store)', paymentsPart));
  console.log(one('part: refund groups from totals (store)', refundsPart));
  console.log(one('part: open payments (store)', open));
  console.log(one('day report, store scope, window edges inside a quarter hour', edges));
  console.log(pair('write: insert + status change (before: no triggers)', 'write.without', 'write.with'));
  console.log(`1-min load average: ${loadavg()[0].toFixed(1)}`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
