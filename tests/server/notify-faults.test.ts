// Notification faults injected at the simulators (POST /sim/<provider>/control/notification-faults): the
// real signed notifications are duplicated, delayed, dropped or reordered on their way to our webhook
// intake, and every payment still ends in the provider's truth with exactly one applied transition.
// The poller waits a minute, so whatever moves a payment here came through the notification path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPaymentEvents } from '../../server/store/events.ts';
import { getWebhookEvent, listWebhookEvents } from '../../server/store/webhook-events.ts';
import { pair, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';
import { PAYBY_FAST } from './helpers/providers.ts';

let server: TestServer;
let pockyt: Kiosk;
let centrapay: Kiosk;
let payby: Kiosk;

beforeAll(async () => {
  server = await startServer({
    ...PAYBY_FAST,
    PAYBY_CONFIRM_WINDOW_MS: '30000',
    POLL_INITIAL_MS: '60000',
    POLL_MAX_MS: '60000',
    // Retry an unacknowledged (or dropped) notification after 300 ms, then 600 ms.
    SIM_POCKYT_IPN_SCHEDULE_MS: '0,300,600',
    SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: '0,300',
    SIM_PAYBY_NOTIFY_SCHEDULE_MS: '0,300',
  });
  pockyt = new Kiosk(server.baseUrl, server.token);
  const terminal = async (store: string) => {
    const t = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode(store)).code);
    return new Kiosk(server.baseUrl, t.token);
  };
  centrapay = await terminal('demo-nz');
  payby = await terminal('demo-ae');
});
afterAll(async () => server?.close());

const db = () => server.app.kiosk.db;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const control = (provider: string, method: string, path: string, body?: unknown) =>
  pockyt.request(method, `/sim/${provider}/control${path}`, { body: body ?? (method === 'POST' ? {} : undefined), auth: false });
const injectOk = async (provider: string, fault: Record<string, unknown>) => {
  const r = await control(provider, 'POST', '/notification-faults', fault);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject(fault);
};
/** Every transition that actually changed the payment, as [source, to]. */
const applied = async (id: string) =>
  (await listPaymentEvents(db(), id)).filter((e) => e.applied && e.from !== e.to).map((e) => [e.source, e.to]);
const PAID_VIA_WEBHOOK = [
  ['create', 'created'],
  ['sync', 'pending'],
  ['webhook', 'succeeded'],
];

async function pockytPending(value: number) {
  const r = await pockyt.pay({ orderId: order(), amount: { value, currency: 'USD' }, mode: 'cpm', code: await pockyt.walletCode() });
  expect(r.body.status).toBe('pending');
  return { id: r.body.id, ref: r.body.providerRef! };
}
const approve = (ref: string) => pockyt.sim('POST', `/control/transactions/${ref}/approve`);
const ipnRow = (ref: string) => getWebhookEvent(db(), 'pockyt', `${ref}:success`);

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await sleep(25);
    v = await read();
  }
  return v;
}

describe('notification-fault control route', () => {
  it.each(['pockyt', 'centrapay', 'payby'])('%s: refuses bad bodies with a clear 400 and stores nothing', async (provider) => {
    for (const bad of [
      [],
      { kind: 'explode' },
      { kind: 'delay' },
      { kind: 'delay', ms: -5 },
      { kind: 'drop', times: 0 },
      { kind: 'drop', times: 1.5 },
      { kind: 'reorder', ms: 'soon' },
    ]) {
      const r = await control(provider, 'POST', '/notification-faults', bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.message).toMatch(/kind|ms|times|object/);
    }
    const raw = await pockyt.request('POST', `/sim/${provider}/control/notification-faults`, {
      rawBody: '{"kind":',
      headers: { 'content-type': 'application/json' },
      auth: false,
    });
    expect(raw.status).toBe(400);
    expect((await control(provider, 'GET', '/notification-faults')).body).toEqual([]);
  });

  it('lists and clears stored faults', async () => {
    await injectOk('pockyt', { kind: 'drop', times: 2 });
    await injectOk('pockyt', { kind: 'reorder' });
    expect((await control('pockyt', 'GET', '/notification-faults')).body).toEqual([
      { kind: 'drop', ms: 0, times: 2 },
      { kind: 'reorder', ms: 5000, times: 1 },
    ]);
    expect((await control('pockyt', 'DELETE', '/notification-faults')).status).toBe(200);
    expect((await control('pockyt', 'GET', '/notification-faults')).body).toEqual([]);
  });
});

describe('Pockyt IPN faults', () => {
  it('duplicate: the same signed IPN twice → one row, one duplicate, one transition', async () => {
    const p = await pockytPending(2100);
    await injectOk('pockyt', { kind: 'duplicate' });
    await approve(p.ref);
    await pockyt.waitFor(p.id, (x) => x.status !== 'pending', 3000).then((x) => expect(x.status).toBe('succeeded'));
    const row = await until(
      () => ipnRow(p.ref),
      (r) => (r?.duplicates ?? 0) >= 1,
    );
    expect(row).toMatchObject({ paymentId: p.id, outcome: 'applied', duplicates: 1 });
    expect((await listWebhookEvents(db(), 'pockyt')).filter((r) => r.paymentId === p.id)).toHaveLength(1);
    expect(await applied(p.id)).toEqual(PAID_VIA_WEBHOOK);
    // Both copies were one attempt from the simulator's point of view. It marks the IPN delivered when the
    // proxy's answer arrives, which is after the proxy committed it: polled, not read once.
    await expect
      .poll(async () => (await pockyt.sim('GET', `/control/transactions/${p.ref}`)).body.ipn, { timeout: 5000 })
      .toMatchObject({ delivered: true, attempts: 1 });
  });

  it('delay: the IPN arrives late and the payment still converges through it', async () => {
    const p = await pockytPending(2200);
    await injectOk('pockyt', { kind: 'delay', ms: 800 });
    const t0 = Date.now();
    await approve(p.ref);
    await sleep(400);
    expect((await pockyt.get(p.id)).body.status).toBe('pending');
    const done = await pockyt.waitFor(p.id, (x) => x.status !== 'pending', 3000);
    expect(done.status).toBe('succeeded');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(800);
    expect(await applied(p.id)).toEqual(PAID_VIA_WEBHOOK);
    // The IPN's row gets its outcome just after the change it applied is committed (and visible).
    await expect.poll(() => ipnRow(p.ref), { timeout: 2000 }).toMatchObject({ outcome: 'applied', duplicates: 0 });
  });

  it('drop: the first attempt is lost, Pockyt’s retry delivers it', async () => {
    const p = await pockytPending(2300);
    await injectOk('pockyt', { kind: 'drop' });
    await approve(p.ref);
    const done = await pockyt.waitFor(p.id, (x) => x.status !== 'pending', 3000);
    expect(done.status).toBe('succeeded');
    // Two attempts at the simulator, but the intake saw only one delivery: the first never arrived. The payment is
    // committed before the proxy's answer reaches the simulator, so its "delivered" mark may land a moment later.
    await expect
      .poll(async () => (await pockyt.sim('GET', `/control/transactions/${p.ref}`)).body.ipn, { timeout: 5000 })
      .toMatchObject({ delivered: true, attempts: 2 });
    expect(await ipnRow(p.ref)).toMatchObject({ outcome: 'applied', duplicates: 0 });
    expect(await applied(p.id)).toEqual(PAID_VIA_WEBHOOK);
  });

  it('reorder: the first payment’s IPN arrives after the second’s, both end correct', async () => {
    const a = await pockytPending(2400);
    const b = await pockytPending(2500);
    await injectOk('pockyt', { kind: 'reorder', ms: 4000 });
    const t0 = Date.now();
    await approve(a.ref);
    await sleep(300);
    // Held: a's IPN waits for the next one.
    expect((await pockyt.get(a.id)).body.status).toBe('pending');
    expect(await ipnRow(a.ref)).toBeUndefined();
    await approve(b.ref);
    await pockyt.waitFor(b.id, (x) => x.status === 'succeeded', 3000);
    await pockyt.waitFor(a.id, (x) => x.status === 'succeeded', 3000);
    // Released by b's delivery, not by the 4 s fallback.
    expect(Date.now() - t0).toBeLessThan(3000);
    // Each IPN's row gets its outcome just after the change it applied is committed (and visible).
    await expect
      .poll(async () => [(await ipnRow(a.ref))?.outcome, (await ipnRow(b.ref))?.outcome], { timeout: 2000 })
      .toEqual(['applied', 'applied']);
    expect((await ipnRow(b.ref))!.id).toBeLessThan((await ipnRow(a.ref))!.id);
    expect(await applied(a.id)).toEqual(PAID_VIA_WEBHOOK);
    expect(await applied(b.id)).toEqual(PAID_VIA_WEBHOOK);
  });
});

describe('Centrapay and PayBy notification faults', () => {
  it('Centrapay duplicate: paid notification twice (same id) → one transition, duplicate counted', async () => {
    const r = await centrapay.pay({ orderId: order(), amount: { value: 990, currency: 'NZD' }, mode: 'mpm', provider: 'centrapay' });
    expect(r.body.status).toBe('pending');
    await injectOk('centrapay', { kind: 'duplicate' });
    expect((await control('centrapay', 'POST', `/requests/${r.body.providerRef}/pay`)).status).toBe(200);
    await centrapay.waitFor(r.body.id, (x) => x.status === 'succeeded', 3000);
    const rows = async () => (await listWebhookEvents(db(), 'centrapay')).filter((h) => h.paymentId === r.body.id);
    const got = await until(rows, (x) => x.length === 1 && x[0].duplicates >= 1);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ outcome: 'applied', duplicates: 1 });
    expect(await applied(r.body.id)).toEqual(PAID_VIA_WEBHOOK);
  });

  it('PayBy drop: first notification lost, the retry (same notify_id) marks the order paid', async () => {
    const r = await payby.pay({ orderId: order(), amount: { value: 4600, currency: 'AED' }, mode: 'mpm', provider: 'payby' });
    expect(r.body.status).toBe('pending');
    await injectOk('payby', { kind: 'drop' });
    expect((await control('payby', 'POST', `/orders/${r.body.providerRef}/pay`)).status).toBe(200);
    await payby.waitFor(r.body.id, (x) => x.status === 'succeeded', 3000);
    // Marked delivered once our answer reaches the simulator: possibly just after the payment shows succeeded.
    await expect
      .poll(async () => (await control('payby', 'GET', `/orders/${r.body.providerRef}`)).body.notifications[0], { timeout: 2000 })
      .toMatchObject({ delivered: true, attempts: 2 });
    const rows = (await listWebhookEvents(db(), 'payby')).filter((h) => h.paymentId === r.body.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'applied', duplicates: 0 });
    expect(await applied(r.body.id)).toEqual(PAID_VIA_WEBHOOK);
  });
});
