// Day report, day close and reconciliation (issue 11) against the real app and the real Pockyt simulator:
// totals across the store's midnight (America/New_York), a transaction taken at Pockyt outside the proxy
// showing as "at the provider but not here" and on Attention, roles, the CSV, and an idempotent Z.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_POCKYT } from '../../sandbox/pockyt/demo.ts';
import { createPockytAdapter } from '../../server/providers/pockyt/adapter.ts';
import { addDays, businessDate, dayBounds } from '../../server/reports/business-day.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { DEMO_PIN, refund, waitForRefund } from './helpers/staff.ts';

const TZ = 'America/New_York';
let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer({ ...NO_IPN, CASHIER_PIN: '5555' });
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });
const today = () => businessDate(Date.now(), TZ);

async function paid(value: number) {
  const r = await kiosk.pay({ orderId: order(), amount: usd(value), mode: 'cpm', code: alipayTestCode('0001') });
  expect(r.body.status).toBe('succeeded');
  return r.body;
}

/** A local wall-clock time of `date` in New York as the UTC instant the database stores. */
function localAt(date: string, hh: number, mm: number): string {
  return new Date(Date.parse(dayBounds(date, TZ).from) + (hh * 60 + mm) * 60_000).toISOString();
}

function report(query: string, pin: string | null = DEMO_PIN, headers: Record<string, string> = {}) {
  return kiosk.request('GET', `/api/reports/day?${query}`, { headers: { ...(pin === null ? {} : { 'x-staff-pin': pin }), ...headers } });
}

describe('day report totals', () => {
  it('counts a payment at 23:30 on its day and one at 00:30 on the next, with a refund, by the store zone', async () => {
    const day = addDays(today(), -3);
    const next = addDays(day, 1);
    const late = await paid(1234);
    const early = await paid(5000);
    const r = await refund(kiosk, early.id, 700, 'USD');
    expect(r.status).toBe(201);
    await waitForRefund(kiosk, early.id, r.body.refund.id);
    const { db } = server.app.kiosk;
    await db
      .updateTable('payments')
      .set({ created_at: localAt(day, 23, 30) })
      .where('id', '=', late.id)
      .execute();
    await db
      .updateTable('payments')
      .set({ created_at: localAt(next, 0, 30) })
      .where('id', '=', early.id)
      .execute();
    await db
      .updateTable('refunds')
      .set({ created_at: localAt(next, 0, 45) })
      .where('id', '=', r.body.refund.id)
      .execute();

    const a = await report(`date=${day}&scope=store&reconcile=false`);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ kind: 'X', date: day, timezone: TZ, scope: 'store', closed: null });
    expect(a.body.currencies.USD).toMatchObject({ gross: usd(1234), refunds: usd(0), net: usd(1234), salesCount: 1, refundsCount: 0 });
    expect(a.body.currencies.USD.byProvider.pockyt.gross).toEqual(usd(1234));
    expect(a.body.currencies.USD.byWallet.alipay.salesCount).toBe(1);

    const b = await report(`date=${next}&scope=terminal&reconcile=false`);
    expect(b.body.currencies.USD).toMatchObject({ gross: usd(5000), refunds: usd(700), net: usd(4300), salesCount: 1, refundsCount: 1 });
    expect(b.body.staff).toEqual([expect.objectContaining({ refunds: usd(700), refundsCount: 1 })]);
    expect(b.body.window).toEqual(dayBounds(next, TZ));
  });

  it('refuses a malformed or future date, and a cashier PIN or none', async () => {
    expect((await report('date=2026-02-30&reconcile=false')).body.error.code).toBe('invalid_date');
    expect((await report('date=20261204')).status).toBe(400);
    expect((await report(`date=${addDays(today(), 2)}`)).status).toBe(422);
    expect((await report('scope=everywhere')).status).toBe(400);
    const none = await report('reconcile=false', null);
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('pin_required');
    const cashier = await report('reconcile=false', '5555');
    expect(cashier.status).toBe(403);
    expect(cashier.body.error.code).toBe('supervisor_required');
    const close = await kiosk.request('POST', '/api/reports/day/close', { body: {}, headers: { 'x-staff-pin': '5555' } });
    expect(close.status).toBe(403);
  });
});

describe('reconciliation with Pockyt', () => {
  it('shows a transaction taken at Pockyt outside the proxy as at the provider but not here, and on Attention', async () => {
    await paid(800);
    const outside = createPockytAdapter({ baseUrl: `${server.baseUrl}/sim/pockyt`, ...DEMO_POCKYT });
    const v = await outside.chargeCode({
      reference: `outside-${randomUUID()}`,
      amount: usd(4242),
      code: alipayTestCode('0001'),
      vendor: 'alipay',
    });
    expect(v.status).toBe('succeeded');

    const r = await report('scope=store');
    expect(r.status).toBe(200);
    const rec = r.body.reconciliation.pockyt;
    expect(rec).toMatchObject({ method: 'list', status: 'differences' });
    expect(rec.matched).toBeGreaterThanOrEqual(1);
    expect(rec.differences).toEqual([
      expect.objectContaining({ kind: 'missing_here', providerRef: v.providerRef, theirsValue: 4242, currency: 'USD', paymentId: null }),
    ]);

    const attention = await kiosk.request('GET', '/api/attention');
    expect(attention.body.differences).toEqual([
      expect.objectContaining({ kind: 'missing_here', providerRef: v.providerRef, provider: 'pockyt' }),
    ]);

    const csv = await report('scope=store', DEMO_PIN, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('section,currency,provider,wallet,count,gross,refunds,net,status,provider_reference,reference,detail');
    expect(lines).toContain(`report,,,,,,,,,,,date=${today()}`);
    expect(lines.find((l) => l.startsWith('difference,'))).toMatch(
      new RegExp(`^difference,USD,pockyt,,,,,42\\.42,missing_here,${v.providerRef},`),
    );
    const total = lines.find((l) => l.startsWith('total,USD,'))!.split(',');
    expect(total[5]).toBe((r.body.currencies.USD.gross.value / 100).toFixed(2));
  });
});

describe('day close (Z)', () => {
  it('records one Z per terminal and day; closing again returns the same Z, and nothing recorded later changes it', async () => {
    const day = addDays(today(), -1);
    const p = await paid(2500);
    await server.app.kiosk.db
      .updateTable('payments')
      .set({ created_at: localAt(day, 12, 0) })
      .where('id', '=', p.id)
      .execute();
    const first = await kiosk.request('POST', '/api/reports/day/close', { body: { date: day }, headers: { 'x-staff-pin': DEMO_PIN } });
    expect(first.status).toBe(201);
    expect(first.body.created).toBe(true);
    expect(first.body.report).toMatchObject({ kind: 'Z', date: day, closed: { number: expect.any(Number) } });
    expect(first.body.report.currencies.USD.gross).toEqual(usd(2500));

    // A payment recorded afterwards with a time inside the closed day does not change the Z.
    const after = await paid(100);
    await server.app.kiosk.db
      .updateTable('payments')
      .set({ created_at: localAt(day, 13, 0) })
      .where('id', '=', after.id)
      .execute();
    const again = await kiosk.request('POST', '/api/reports/day/close', { body: { date: day }, headers: { 'x-staff-pin': DEMO_PIN } });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.report.closed.id).toBe(first.body.report.closed.id);
    expect(again.body.report.currencies.USD.gross).toEqual(usd(2500));
    const x = await report(`date=${day}&reconcile=false`);
    expect(x.body).toMatchObject({ kind: 'Z', closed: { id: first.body.report.closed.id } });
    expect(x.body.currencies.USD.gross).toEqual(usd(2500));
  });
});
