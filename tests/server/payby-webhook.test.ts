// POST /webhooks/payby against the PayBy simulator's own signed notifications (SHA256withRSA over the raw
// body with PayBy's platform key): genuine ones apply after a confirming getOrder, duplicates (same
// notify_id) are acknowledged without acting, and forged, tampered or unknown ones change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePayByKeyPair } from '../../sandbox/payby/keys.ts';
import { signBody } from '../../server/providers/payby/signing.ts';
import { PAYBY_NOTIFY_ACK } from '../../server/providers/payby/webhook.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { getWebhookEvent, listWebhookEvents } from '../../server/store/webhook-events.ts';
import { demoPayByPlatformKeys } from '../../sandbox/payby/demo.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';
import { PAYBY_FAST } from './helpers/providers.ts';

let server: TestServer;
let k: Kiosk;

beforeAll(async () => {
  server = await startServer(
    {
      ...PAYBY_FAST,
      PAYBY_CONFIRM_WINDOW_MS: '30000',
      // No poll within a test: whatever changes a payment here came through the webhook.
      POLL_INITIAL_MS: '60000',
      POLL_MAX_MS: '60000',
      SIM_PAYBY_NOTIFY_SCHEDULE_MS: '0,300',
    },
    { store: 'demo-ae' },
  );
  k = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const db = () => server.app.kiosk.db;
const sim = (method: string, path: string, body?: unknown) =>
  k.request(method, `/sim/payby/control${path}`, { body: body ?? (method === 'POST' ? {} : undefined), auth: false });
const mpm = async () => {
  const r = await k.pay({ orderId: order(), amount: { value: 4500, currency: 'AED' }, mode: 'mpm', provider: 'payby' });
  expect(r.body.status).toBe('pending');
  return r.body;
};
const appliedSources = async (id: string) =>
  (await listPaymentEvents(db(), id)).filter((e) => e.applied && e.to === 'succeeded').map((e) => e.source);

/** What PayBy's platform would send; the demo simulator's platform key is this process's demo pair. */
function paidNotification(notifyId: string, merchantOrderNo: string, orderNo: string): string {
  return JSON.stringify({
    notify_timestamp: Date.now(),
    notify_id: notifyId,
    acquireOrder: {
      merchantOrderNo,
      orderNo,
      status: 'PAID_SUCCESS',
      totalAmount: { currency: 'AED', amount: 45 },
      paySceneCode: 'DYNQR',
      revoked: 'false',
    },
  });
}

async function post(body: string, sign?: string) {
  const res = await fetch(`${server.baseUrl}/webhooks/payby`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', ...(sign ? { sign } : {}) },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('genuine PayBy notifications', () => {
  it('a paid DYNQR order is marked succeeded from the notification, acknowledged in PayBy’s form', async () => {
    const p = await mpm();
    expect((await sim('POST', `/orders/${p.providerRef}/pay`)).status).toBe(200);
    await k.waitFor(p.id, (x) => x.status === 'succeeded', 2000);
    expect(await appliedSources(p.id)).toEqual(['webhook']);
    // The simulator marks the delivery once our answer reaches it, which can be just after the payment shows
    // succeeded (the soak saw it read too early).
    await expect
      .poll(async () => (await sim('GET', `/orders/${p.providerRef}`)).body.notifications[0], { timeout: 2000 })
      .toMatchObject({ delivered: true, attempts: 1 });

    // PayBy repeats a notification (same notify_id and bytes): acknowledged, nothing happens again.
    const events = (await listPaymentEvents(db(), p.id)).length;
    const hook = (await listWebhookEvents(db(), 'payby')).find((h) => h.paymentId === p.id)!;
    expect(hook.outcome).toBe('applied');
    expect((await sim('POST', `/orders/${p.providerRef}/notify`)).status).toBe(200);
    const until = Date.now() + 2000;
    while ((await getWebhookEvent(db(), 'payby', hook.eventId))!.duplicates < 1 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 30));
    expect((await getWebhookEvent(db(), 'payby', hook.eventId))!.duplicates).toBe(1);
    const replay = await post(hook.rawBody, signBody(hook.rawBody, demoPayByPlatformKeys().privateKeyPem));
    expect(replay).toMatchObject({ status: 200, text: PAYBY_NOTIFY_ACK.body });
    expect(replay.type).toContain('application/json');
    expect((await listPaymentEvents(db(), p.id)).length).toBe(events);
  });

  it('a customer-approved authCode payment is confirmed by its notification', async () => {
    const code = (await sim('POST', '/codes')).body.code as string;
    const r = await k.pay({ orderId: order(), amount: { value: 1200, currency: 'AED' }, mode: 'cpm', code });
    expect(r.body.status).toBe('pending');
    await sim('POST', `/orders/${r.body.providerRef}/approve`);
    await k.waitFor(r.body.id, (x) => x.status === 'succeeded', 2000);
    expect(await appliedSources(r.body.id)).toEqual(['webhook']);
  });
});

describe('PayBy notifications that change nothing', () => {
  let pending: { id: string; providerRef: string | null; merchantOrderNo: string };
  beforeAll(async () => {
    const p = await mpm();
    pending = { ...p, merchantOrderNo: (await sim('GET', `/orders/${p.providerRef}`)).body.merchantOrderNo };
  });
  afterAll(async () => {
    await k.cancel(pending.id);
  });

  it('forged (signed by another key) or unsigned → 401, not recorded, payment unchanged', async () => {
    const body = paidNotification('20250101forged0001', pending.merchantOrderNo, pending.providerRef!);
    expect((await post(body, signBody(body, generatePayByKeyPair().privateKeyPem))).status).toBe(401);
    expect((await post(body)).status).toBe(401);
    expect(await getWebhookEvent(db(), 'payby', '20250101forged0001')).toBeUndefined();
    expect((await k.get(pending.id)).body.status).toBe('pending');
  });

  it('tampered (genuine signature over other bytes) → 401', async () => {
    const body = paidNotification('20250101tamper0001', pending.merchantOrderNo, pending.providerRef!);
    const sign = signBody(body, demoPayByPlatformKeys().privateKeyPem);
    const r = await post(body.replace('"amount":45', '"amount":0.01'), sign);
    expect(r.status).toBe(401);
    expect((await k.get(pending.id)).body.status).toBe('pending');
  });

  it('a validly signed "paid" that PayBy’s own getOrder does not confirm changes nothing', async () => {
    const body = paidNotification('20250101claims0001', pending.merchantOrderNo, pending.providerRef!);
    const r = await post(body, signBody(body, demoPayByPlatformKeys().privateKeyPem));
    expect(r).toMatchObject({ status: 200, text: PAYBY_NOTIFY_ACK.body });
    expect((await getWebhookEvent(db(), 'payby', '20250101claims0001'))?.outcome).toBe('disagrees');
    expect((await k.get(pending.id)).body.status).toBe('pending');
  });

  it('a validly signed notification for an order we never placed is acknowledged and ignored', async () => {
    const body = paidNotification('20250101unknown001', 'kq-not-ours-0000000000000000000', '9999999999');
    expect((await post(body, signBody(body, demoPayByPlatformKeys().privateKeyPem))).status).toBe(200);
    expect((await getWebhookEvent(db(), 'payby', '20250101unknown001'))?.outcome).toBe('unknown_payment');
  });
});
