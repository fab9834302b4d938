// Centrapay through the real API over HTTP against the real Centrapay simulator (demo mode, NZ store):
// patron codes (Quick Pay charged by our first poll, approval, decline), merchant QR paid by poll and by
// webhook, expiry, void on cancel, 429 back-off, and currency refused before any provider call.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { providerReference } from '../../server/payments/reference.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { listWebhookEvents } from '../../server/store/webhook-events.ts';
import { callsNaming, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';
import { CENTRAPAY_FAST } from './helpers/providers.ts';

const nzd = (value: number) => ({ value, currency: 'NZD' });

let polled: TestServer; // fast polls, no webhooks: whatever changes came from polling
let notified: TestServer; // no polls within a test: whatever changes came from the webhook
let a: Kiosk;
let b: Kiosk;

beforeAll(async () => {
  [polled, notified] = await Promise.all([
    startServer({ ...CENTRAPAY_FAST, SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: 'none' }, { store: 'demo-nz' }),
    startServer(
      { ...CENTRAPAY_FAST, SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: '0,300', POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' },
      { store: 'demo-nz' },
    ),
  ]);
  a = new Kiosk(polled.baseUrl, polled.token);
  b = new Kiosk(notified.baseUrl, notified.token);
});
afterAll(async () => {
  await Promise.all([polled?.close(), notified?.close()]);
});

const sim = (k: Kiosk, method: string, path: string, body?: unknown) =>
  k.request(method, `/sim/centrapay/control${path}`, { body: body ?? (method === 'POST' ? {} : undefined), auth: false });
const walletCode = async (k: Kiosk) => (await sim(k, 'POST', '/codes')).body.code as string;
const cpm = (k: Kiosk, code: string, value = 1250) => k.pay({ orderId: order(), amount: nzd(value), mode: 'cpm', code });
const mpm = (k: Kiosk, value = 980) => k.pay({ orderId: order(), amount: nzd(value), mode: 'mpm', provider: 'centrapay' });
const sources = async (s: TestServer, id: string, to: string) =>
  (await listPaymentEvents(s.app.kiosk.db, id)).filter((e) => e.applied && e.to === to).map((e) => e.source);

describe('Centrapay patron codes (CPM)', () => {
  it('Quick Pay (0001) is charged by our first poll, without the patron', async () => {
    const r = await cpm(a, testPatronCode('0001'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending', provider: 'centrapay', vendor: 'centrapay', amount: nzd(1250) });
    // Creating the request does not pay it: until a poll reaches it, it is new. (Our first poll may come before
    // this read on a busy machine; then the poll's own effect is what the assertions below check.)
    const before = await sim(a, 'GET', `/requests/${r.body.providerRef}`);
    if (before.body.polls === 0) expect(before.body.status).toBe('new');
    const paid = await a.waitFor(r.body.id, (p) => p.status === 'succeeded', 3000);
    expect(paid.providerRef).toBe(r.body.providerRef);
    const after = await sim(a, 'GET', `/requests/${r.body.providerRef}`);
    expect(after.body.status).toBe('paid');
    expect(after.body.polls).toBeGreaterThanOrEqual(1);
    expect(await sources(polled, r.body.id, 'succeeded')).toEqual(['poll']);
  });

  it('waits for the patron to approve in their app (wallet-issued code)', async () => {
    const r = await cpm(a, await walletCode(a));
    expect(r.body.status).toBe('pending');
    await new Promise((res) => setTimeout(res, 200));
    expect((await a.get(r.body.id)).body.status).toBe('pending');
    expect((await sim(a, 'POST', `/requests/${r.body.providerRef}/approve`)).status).toBe(200);
    await a.waitFor(r.body.id, (p) => p.status === 'succeeded', 3000);
  });

  it('a patron decline is a failed payment with a cashier-readable reason', async () => {
    const declined = await cpm(a, testPatronCode('0003'));
    const p = await a.waitFor(declined.body.id, (x) => x.status === 'failed', 3000);
    expect(p.failure).toMatchObject({ code: 'declined_by_customer' });
    const refused = await cpm(a, testPatronCode('0004'));
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({ status: 'failed', failure: { code: 'code_invalid' } });
  });
});

describe('Centrapay merchant QR (MPM)', () => {
  it('shows the pay URL with short code and expiry; paid on the wallet → succeeded by poll', async () => {
    const r = await mpm(a);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending', mode: 'mpm', provider: 'centrapay', vendor: 'centrapay' });
    expect(r.body.qr?.payload).toMatch(new RegExp(`/sim/centrapay/pay/${r.body.providerRef}$`));
    expect(r.body.qr?.shortCode).toMatch(/^CP-[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    expect(Date.parse(r.body.qr!.expiresAt)).toBeGreaterThan(Date.now());
    expect((await sim(a, 'POST', `/requests/${r.body.providerRef}/pay`)).status).toBe(200);
    await a.waitFor(r.body.id, (p) => p.status === 'succeeded', 3000);
    expect(await sources(polled, r.body.id, 'succeeded')).toEqual(['poll']);
  });

  it('paid on the wallet → succeeded by the signed webhook, with no poll', async () => {
    const r = await mpm(b);
    expect(r.body.status).toBe('pending');
    const t0 = Date.now();
    expect((await sim(b, 'POST', `/requests/${r.body.providerRef}/pay`)).status).toBe(200);
    await b.waitFor(r.body.id, (p) => p.status === 'succeeded', 2000);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await sources(notified, r.body.id, 'succeeded')).toEqual(['webhook']);
    // The notification's row gets its outcome just after the change it applied is committed (and visible).
    const hook = async () => (await listWebhookEvents(notified.app.kiosk.db, 'centrapay')).find((h) => h.paymentId === r.body.id);
    await expect.poll(hook, { timeout: 2000 }).toMatchObject({ outcome: 'applied', verified: true });
  });

  it('an unpaid QR expires (the reconciler asks Centrapay) and the order can be tried again', async () => {
    const orderId = order();
    const r = await a.pay({ orderId, amount: nzd(700), mode: 'mpm', provider: 'centrapay' });
    const expired = await a.waitFor(r.body.id, (p) => p.status === 'expired', 5000);
    expect(expired.late).toBeUndefined();
    expect((await sim(a, 'GET', `/requests/${r.body.providerRef}`)).body.status).toBe('expired');
    // Paying the expired QR is refused by Centrapay; a new attempt is allowed.
    expect((await sim(a, 'POST', `/requests/${r.body.providerRef}/pay`)).status).toBe(409);
    const again = await a.pay({ orderId, amount: nzd(700), mode: 'mpm', provider: 'centrapay' });
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('pending');
    await a.cancel(again.body.id);
  });

  it('cancel voids the request at Centrapay', async () => {
    const r = await mpm(a);
    const c = await a.cancel(r.body.id);
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    const at = await sim(a, 'GET', `/requests/${r.body.providerRef}`);
    expect(at.body).toMatchObject({ status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' });
  });
});

describe('Centrapay refusals before any call', () => {
  it('a currency the store does not take is 400 with no provider call and no payment row', async () => {
    const calls = polled.simLog.length;
    const rows = await polled.countPayments();
    const key = randomUUID();
    const orderId = order();
    const r = await a.pay({ orderId, amount: { value: 1250, currency: 'USD' }, mode: 'cpm', code: testPatronCode('0001') }, key);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('unsupported_currency');
    // Only this request's calls: the reconciler may be re-checking earlier tests' payments meanwhile.
    const during = polled.simLog.slice(calls);
    expect(callsNaming(during, [providerReference(polled.terminalId, key), orderId])).toEqual([]);
    expect(during.filter((c) => c.method === 'POST' && c.path.endsWith('/payment-requests'))).toEqual([]);
    expect(await polled.countPayments()).toBe(rows);
  });
});

describe('Centrapay rate limit (429 + Retry-After)', () => {
  let limited: TestServer;
  let k: Kiosk;
  beforeAll(async () => {
    limited = await startServer(
      {
        ...CENTRAPAY_FAST,
        SIM_CENTRAPAY_SECOND_MS: '1000',
        SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: 'none',
        SIM_CENTRAPAY_RATE_LIMIT: '4',
        SIM_CENTRAPAY_RATE_WINDOW_MS: '2000',
      },
      { store: 'demo-nz' },
    );
    k = new Kiosk(limited.baseUrl, limited.token);
  });
  afterAll(async () => limited?.close());

  it('backs off for Retry-After, refuses a new sale as busy (nothing charged), then settles', async () => {
    const r = await cpm(k, await walletCode(k));
    expect(r.body.status).toBe('pending');
    const until = Date.now() + 3000;
    while (!limited.simLog.some((c) => c.status === 429) && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
    const first429 = limited.simLog.find((c) => c.status === 429);
    expect(first429).toBeDefined();

    const busy = await cpm(k, testPatronCode('0002'));
    expect(busy.status).toBe(201);
    expect(busy.body).toMatchObject({ status: 'failed', failure: { code: 'provider_busy' } });
    expect(busy.body.failure!.message).toMatch(/nothing was charged/);

    await sim(k, 'POST', `/requests/${r.body.providerRef}/approve`);
    await k.waitFor(r.body.id, (p) => p.status === 'succeeded', 6000);
    const polls = limited.simLog.filter((c) => c.method === 'GET');
    // Retry-After is at least one second: no poll hammered Centrapay while it asked us to wait.
    expect(polls.filter((c) => c.at > first429!.at && c.at < first429!.at + 900)).toEqual([]);
    expect(polls.filter((c) => c.status === 429).length).toBeLessThanOrEqual(2);
  });
});
