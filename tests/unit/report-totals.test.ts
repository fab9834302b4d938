// The day report from the running totals (migration 0021) equals the report from the payment and refund rows
// (the row scan it replaced, kept as the oracle: FROM_ROWS), after a random day of writes through the real
// write paths (insertPayment, applyTransition, insertRefund, casRefund) and of direct row edits like the ones
// test fixtures and repairs make — in zones with half- and quarter-hour offsets and on a DST day, for whole
// business days and for windows that start or end inside a quarter hour (a day after an earlier Z).
// Runs on SQLite, and on Postgres when TEST_DATABASE_URL names one (a fresh database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedNext, type PaymentStatus } from '../../src/shared/payment.ts';
import { applyTransition } from '../../server/payments/transition.ts';
import { dayBounds } from '../../server/reports/business-day.ts';
import { dayTotals, FROM_ROWS, FROM_TOTALS } from '../../server/reports/day-report.ts';
import type { ReportScope, Window } from '../../server/store/day-totals.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { insertPayment } from '../../server/store/payments.ts';
import { casRefund, insertRefund } from '../../server/store/refunds.ts';
import { splitWindow } from '../../server/store/report-totals.ts';
import { rebuildTotals, totalsDrift } from '../../server/store/totals-check.ts';
import { freshPostgres } from '../server/helpers/app.ts';
import { rng } from '../../bench/lib/rng.ts';

let store: Store;
let fresh: { url: string; drop(): Promise<void> } | undefined;

// A seeded generator: a failure names its seed and replays.
const SEED = Number(process.env.TOTALS_SEED ?? 20260308);
const random = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

const TERMINALS = [
  { id: 'a1', store: 'sa' },
  { id: 'a2', store: 'sa' },
  { id: 'a3', store: 'sa' },
  { id: 'b1', store: 'sb' },
];
const SPAN_FROM = Date.parse('2026-03-06T12:00:00.000Z');
const SPAN_MS = 4 * 86_400_000;
const instant = () => new Date(SPAN_FROM + Math.floor(random() * SPAN_MS)).toISOString();
const PAYMENTS = 500;

beforeAll(async () => {
  const admin = process.env.TEST_DATABASE_URL;
  fresh = admin ? await freshPostgres(admin) : undefined;
  store = await openMigratedStore(fresh?.url ?? 'sqlite::memory:');
  const { db } = store;
  const now = new Date().toISOString();
  for (const t of TERMINALS)
    await db
      .insertInto('terminals')
      .values({ id: t.id, store_id: t.store, name: t.id, token_hash: `h-${t.id}`, created_at: now, revoked_at: null })
      .execute();
  for (const s of ['s1', 's2'])
    await db
      .insertInto('staff')
      .values({ id: s, name: `Staff ${s}`, role: 'supervisor', pin_hash: 'x', created_at: now, disabled_at: null })
      .execute();
  await randomWorkload();
}, 120_000);
afterAll(async () => {
  await store?.close();
  await fresh?.drop();
});

async function randomWorkload() {
  const { db } = store;
  const ids: string[] = [];
  for (let i = 0; i < PAYMENTS; i++) {
    const id = `p${i}`;
    const amount = 1 + Math.floor(random() * 20_000);
    await insertPayment(db, {
      id,
      terminalId: pick(TERMINALS).id,
      orderId: `o${i}`,
      idempotencyKey: `k${i}`,
      requestHash: 'h',
      mode: 'cpm',
      provider: pick(['pockyt', 'centrapay', 'payby'] as const),
      vendor: pick(['alipay', 'wechatpay', null] as const),
      amount: { value: amount, currency: pick(['USD', 'USD', 'NZD']) },
      reference: `ref-${i}`,
      codeMasked: null,
      now: instant(),
    });
    ids.push(id);
    // Zero to three status changes along the transition table, through the one write path.
    let status: PaymentStatus = 'created';
    for (let step = Math.floor(random() * 4); step > 0; step--) {
      const next = allowedNext(status);
      if (next.length === 0) break;
      const to = pick(next);
      const refundedValue = to === 'refunded' ? amount : to === 'partially_refunded' ? Math.ceil(amount / 2) : undefined;
      const r = await applyTransition(db, null, { paymentId: id, to, source: 'poll', raw: {}, refundedValue });
      expect(r.applied || r.noop).toBe(true);
      status = to;
    }
    if (random() < 0.35) await refundOf(id, i, amount);
  }
  // Direct row edits, as fixtures and repairs make: moved in time, another wallet (its refunds follow it).
  for (let k = 0; k < 20; k++) await db.updateTable('payments').set({ created_at: instant() }).where('id', '=', pick(ids)).execute();
  for (let k = 0; k < 10; k++)
    await db
      .updateTable('payments')
      .set({ vendor: pick(['alipay', 'wechatpay', null]) })
      .where('id', '=', pick(ids))
      .execute();
  for (let k = 0; k < 10; k++) await db.updateTable('refunds').set({ created_at: instant() }).where('payment_id', '=', pick(ids)).execute();
}

async function refundOf(paymentId: string, i: number, amount: number) {
  const { db } = store;
  const payment = await db.selectFrom('payments').select(['terminal_id', 'currency']).where('id', '=', paymentId).executeTakeFirstOrThrow();
  const id = `rf${i}`;
  await insertRefund(db, {
    id,
    paymentId,
    terminalId: payment.terminal_id,
    idempotencyKey: `rk${i}`,
    requestHash: 'h',
    refundReference: `rr${i}`,
    amount: { value: 1 + Math.floor(random() * amount), currency: payment.currency },
    staffId: pick(['s1', 's2', null]),
    createdAt: instant(),
  });
  const end = pick(['created', 'pending', 'succeeded', 'succeeded', 'succeeded', 'failed'] as const);
  if (end === 'created') return;
  const now = new Date().toISOString();
  expect(await casRefund(db, id, 'created', { status: 'pending', now })).toBe(true);
  if (end !== 'pending') expect(await casRefund(db, id, 'pending', { status: end, now })).toBe(true);
}

const ZONES = ['Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'Australia/Adelaide', 'UTC'];
// 2026-03-08 is New York's spring-forward day (23 hours).
const DATES = ['2026-03-07', '2026-03-08', '2026-03-09'];
const SCOPES: ReportScope[] = [
  { kind: 'store', storeId: 'sa' },
  { kind: 'store', storeId: 'sb' },
  { kind: 'terminal', terminalId: 'a2' },
];

/** The window of a day that starts where an earlier Z closed (inside a quarter hour) and is closed early itself. */
function offGrid(w: Window): Window {
  const from = Date.parse(w.from) + 1 + Math.floor(random() * 5 * 3_600_000);
  const to = Date.parse(w.to) - 1 - Math.floor(random() * 5 * 3_600_000);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

describe(`day report from running totals = from rows (seed ${SEED})`, () => {
  it('the totals agree with a recount of the rows after the workload', async () => {
    expect(await totalsDrift(store.db)).toEqual([]);
  });

  it('New York 2026-03-08 is 23 hours, and the windows tested are on and off the quarter-hour grid', () => {
    const b = dayBounds('2026-03-08', 'America/New_York');
    expect(Date.parse(b.to) - Date.parse(b.from)).toBe(23 * 3_600_000);
    expect(splitWindow(dayBounds('2026-03-08', 'Asia/Kathmandu')).edges).toEqual([]);
    expect(splitWindow(offGrid(b)).edges).toHaveLength(2);
  });

  for (const zone of ZONES) {
    it(`${zone}: every day, scope and window`, async () => {
      let sales = 0;
      let refunds = 0;
      for (const date of DATES) {
        const day = dayBounds(date, zone);
        for (const w of [day, offGrid(day), { from: day.from, to: new Date(Date.parse(day.from) + 600_000).toISOString() }]) {
          for (const scope of SCOPES) {
            const fromTotals = await dayTotals(store.db, scope, w, FROM_TOTALS);
            const fromRows = await dayTotals(store.db, scope, w, FROM_ROWS);
            expect(fromTotals, `${zone} ${date} ${JSON.stringify(scope)} ${w.from}..${w.to}`).toEqual(fromRows);
            for (const c of Object.values(fromTotals.currencies)) {
              sales += c.salesCount;
              refunds += c.refundsCount;
            }
          }
        }
      }
      // The comparison means something only if the days hold sales and refunds.
      expect(sales).toBeGreaterThan(100);
      expect(refunds).toBeGreaterThan(20);
    });
  }

  it('a total changed behind the triggers is reported as drift, and a rebuild puts it right', async () => {
    const { db } = store;
    const victim = await db
      .selectFrom('payment_totals')
      .selectAll()
      .where('status', '=', 'succeeded')
      .where('n', '>', 0)
      .executeTakeFirstOrThrow();
    const bumpRow = db
      .updateTable('payment_totals')
      .where('terminal_id', '=', victim.terminal_id)
      .where('bucket', '=', victim.bucket)
      .where('currency', '=', victim.currency)
      .where('provider', '=', victim.provider)
      .where('vendor', '=', victim.vendor)
      .where('status', '=', victim.status);
    await bumpRow.set((eb) => ({ amount: eb('amount', '+', 1) })).execute();
    const drift = await totalsDrift(db);
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ table: 'payment_totals', key: { bucket: victim.bucket, status: 'succeeded' } });
    expect(drift[0].inTotals.amount - drift[0].fromRows.amount).toBe(1);
    await rebuildTotals(db, store.dialect);
    expect(await totalsDrift(db)).toEqual([]);
    const w = dayBounds(victim.bucket.slice(0, 10), 'UTC');
    const scope: ReportScope = { kind: 'terminal', terminalId: victim.terminal_id };
    expect(await dayTotals(db, scope, w, FROM_TOTALS)).toEqual(await dayTotals(db, scope, w, FROM_ROWS));
  });
});
