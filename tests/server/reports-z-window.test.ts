// A Z closed before the store's midnight ends that business day at the close: a sale and a refund recorded
// after it, still before midnight, count on the next day (whose window starts where the Z ended), and the
// closed day's figures never change.
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { addDays, businessDate, dayBounds } from '../../server/reports/business-day.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { DEMO_PIN, refund, waitForRefund } from './helpers/staff.ts';

const TZ = 'America/New_York';
let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer({ ...NO_IPN });
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());
afterEach(() => vi.useRealTimers());

const usd = (value: number) => ({ value, currency: 'USD' });
const localAt = (date: string, hh: number, mm: number) =>
  new Date(Date.parse(dayBounds(date, TZ).from) + (hh * 60 + mm) * 60_000).toISOString();
const headers = { 'x-staff-pin': DEMO_PIN };

async function paidAt(value: number, at: string) {
  const r = await kiosk.pay({ orderId: order(), amount: usd(value), mode: 'cpm', code: alipayTestCode('0001') });
  expect(r.body.status).toBe('succeeded');
  await server.app.kiosk.db.updateTable('payments').set({ created_at: at }).where('id', '=', r.body.id).execute();
  return r.body;
}

it('moves a sale and a refund made after an early Z, before midnight, to the next business day', async () => {
  const day = addDays(businessDate(Date.now(), TZ), -3);
  const next = addDays(day, 1);
  const morning = await paidAt(2000, localAt(day, 10, 0));

  // The manager closes the day at 21:00 store time: only the proxy's clock is set back for the close.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse(localAt(day, 21, 0)) });
  const close = await kiosk.request('POST', '/api/reports/day/close', { body: { date: day }, headers });
  vi.useRealTimers();
  expect(close.status).toBe(201);
  expect(close.body.report.window).toEqual({ from: dayBounds(day, TZ).from, to: localAt(day, 21, 0) });
  expect(close.body.report.currencies.USD).toMatchObject({ gross: usd(2000), salesCount: 1 });

  // After the close, still before midnight: a sale at 21:30 and a refund of the morning's sale at 22:15.
  await paidAt(700, localAt(day, 21, 30));
  const r = await refund(kiosk, morning.id, 500, 'USD');
  expect(r.status).toBe(201);
  await waitForRefund(kiosk, morning.id, r.body.refund.id);
  await server.app.kiosk.db
    .updateTable('refunds')
    .set({ created_at: localAt(day, 22, 15) })
    .where('id', '=', r.body.refund.id)
    .execute();

  const closed = await kiosk.request('GET', `/api/reports/day?date=${day}&reconcile=false`, { headers });
  expect(closed.body).toMatchObject({ kind: 'Z', closed: { number: close.body.report.closed.number } });
  expect(closed.body.currencies.USD).toMatchObject({ gross: usd(2000), refunds: usd(0), net: usd(2000), salesCount: 1 });

  const following = await kiosk.request('GET', `/api/reports/day?date=${next}&reconcile=false`, { headers });
  expect(following.body).toMatchObject({ kind: 'X', closed: null, window: { from: localAt(day, 21, 0), to: dayBounds(next, TZ).to } });
  expect(following.body.currencies.USD).toMatchObject({
    gross: usd(700),
    refunds: usd(500),
    net: usd(200),
    salesCount: 1,
    refundsCount: 1,
  });
});
