// Centrapay simulator flows over HTTP: patron codes and control routes, signed webhooks delivered with
// retries to a real local receiver that verifies them against the JWKS endpoint, the rate limit, faults,
// and the switchable Luhn check.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyNotificationJwt } from '../../server/providers/centrapay/token.ts';
import type { Jwks } from '../../sandbox/centrapay/sign.ts';
import { rawCentrapayCall } from '../../sandbox/centrapay/client.ts';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { DEMO_CREDENTIALS, startCentrapaySimulator, type RunningSimulator } from '../../sandbox/centrapay/standalone.ts';
import { classifyCode } from '../../src/shared/classify.ts';

const { apiKey, configId } = DEMO_CREDENTIALS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received {
  auth: string | undefined;
  body: string;
}
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Answer 503 to the first delivery about this payment request (a late delivery about an earlier test's request
 *  must not take the failure meant for this one). */
let failFirstDeliveryOf: string | undefined;

let sim: RunningSimulator;
let seq = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ auth: req.headers.authorization, body });
      const about = (JSON.parse(body) as { data?: { paymentRequestId?: string } }).data?.paymentRequestId;
      const fail = about !== undefined && about === failFirstDeliveryOf;
      if (fail) failFirstDeliveryOf = undefined;
      res.statusCode = fail ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/centrapay`;
  sim = await startCentrapaySimulator({
    pendingMs: 60,
    secondMs: 100,
    webhook: () => ({ url: receiverUrl }),
    notifyRetryScheduleMs: [0, 60, 60],
  });
});
afterAll(async () => {
  await sim.close();
  await new Promise((r) => receiver.close(r));
});

// `on` is the simulator spoken to: the shared one, or a test's own.
const api = (method: 'GET' | 'POST', path: string, body?: unknown, on = sim) =>
  rawCentrapayCall(on.baseUrl, method, path, { apiKey, body });
const create = (extra: Record<string, unknown> = {}, on = sim) =>
  api('POST', '/api/payment-requests', { configId, value: { amount: '990', currency: 'NZD' }, externalRef: `F-${++seq}`, ...extra }, on);
const control = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, on = sim) =>
  rawCentrapayCall(on.baseUrl, method, `/control${path}`, { body });
const notificationsFor = (id: string) => received.filter((n) => JSON.parse(n.body).data?.paymentRequestId === id);
/** Deliveries are asynchronous (signing, retries): waits until `id` has had `n` of them, for as long as a
 *  loaded machine may need, instead of a fixed sleep that a busy machine outlasts. */
async function deliveries(id: string, n: number, ms = 5000): Promise<Received[]> {
  const until = Date.now() + ms;
  while (notificationsFor(id).length < n && Date.now() < until) await sleep(20);
  return notificationsFor(id);
}

describe('patron codes and the patron (control routes)', () => {
  it('issues classifiable one-use codes; the request waits for approve', async () => {
    const issued = await control('POST', '/codes', {});
    expect(issued.status).toBe(200);
    const { code } = issued.body;
    expect(issued.body).toMatchObject({ vendor: 'centrapay', expiresAt: expect.any(String) });
    expect(classifyCode(code)).toEqual({ ok: true, vendor: 'centrapay', code });
    expect((await control('GET', `/codes/${code}`)).body).toMatchObject({ state: 'issued' });
    expect((await control('GET', '/codes/123')).status).toBe(404);

    const pr = (await create({ barcode: code })).body;
    expect(pr).toMatchObject({ status: 'new', barcode: code, paymentOptions: [{ assetType: 'centrapay.nzd.test' }] });
    const seen = (await control('GET', `/codes/${code}`)).body;
    expect(seen).toMatchObject({
      state: 'used',
      request: { id: pr.id, value: { amount: '990', currency: 'NZD' }, status: 'new', merchantName: 'Demo Café' },
    });
    await sleep(120); // longer than pendingMs: a wallet code must not follow a test-code timer
    expect((await api('GET', `/api/payment-requests/${pr.id}`)).body.status).toBe('new');
    expect((await control('POST', `/requests/${pr.id}/pay`)).status).toBe(409); // not a merchant QR
    expect((await control('POST', `/requests/${pr.id}/approve`)).body.status).toBe('paid');
    expect((await control('POST', `/requests/${pr.id}/decline`)).status).toBe(409);

    const reused = await create({ barcode: code });
    expect([reused.status, reused.body.message]).toEqual([403, 'PATRON_CODE_INVALID']);
  });

  it('decline cancels with DECLINED_BY_PATRON', async () => {
    const { code } = (await control('POST', '/codes', {})).body;
    const pr = (await create({ barcode: code })).body;
    expect((await control('POST', `/requests/${pr.id}/decline`)).body).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'DECLINED_BY_PATRON',
    });
  });

  it('an expired code is invalid', async () => {
    // Codes that lapse in 100 ms on a simulator of their own: the shared one keeps the default life, so a code
    // minted for the other tests cannot expire while a loaded machine is slow to spend it.
    const shortLived = await startCentrapaySimulator({ codeTtlMs: 100 });
    try {
      const stale = (await control('POST', '/codes', {}, shortLived)).body.code;
      await sleep(300);
      expect((await control('GET', `/codes/${stale}`, undefined, shortLived)).body.state).toBe('expired');
      const refused = await create({ barcode: stale }, shortLived);
      expect(refused.body.message).toBe('PATRON_CODE_INVALID');
    } finally {
      await shortLived.close();
    }
  });

  it('merchant QR: /pay/:id lands on the wallet page; control pay makes it paid', async () => {
    const pr = (await create()).body;
    const landing = await rawCentrapayCall(sim.baseUrl, 'GET', `/pay/${pr.id}`);
    expect(landing.status).toBe(302);
    expect(landing.headers.get('location')).toBe(`/wallet?qr=${encodeURIComponent(pr.url)}`);
    expect((await control('POST', `/requests/${pr.id}/approve`)).status).toBe(409); // not a patron-code request
    expect((await control('POST', `/requests/${pr.id}/pay`)).body).toMatchObject({ status: 'paid', mode: 'mpm' });
    expect((await control('GET', '/requests/nope')).status).toBe(404);
  });
});

describe('webhooks', () => {
  it('paid → one signed payment-request:paid, verified against the JWKS endpoint; retried after a 503', async () => {
    const jwks = (await rawCentrapayCall(sim.baseUrl, 'GET', '/api/.well-known/jwks.json')).body as Jwks;
    expect(jwks.keys).toHaveLength(1);
    const pr = (await create({ barcode: testPatronCode('0001') })).body;
    failFirstDeliveryOf = pr.id;
    await api('GET', `/api/payment-requests/${pr.id}`);
    const got = await deliveries(pr.id, 2);
    expect(got).toHaveLength(2); // 503, then delivered
    expect(got[1].body).toBe(got[0].body); // the same bytes every time
    const envelope = JSON.parse(got[1].body);
    expect(envelope).toMatchObject({
      id: expect.stringMatching(/^ntf_/),
      type: 'payment-request:paid',
      test: true,
      accountId: expect.any(String),
      data: { type: 'paid', paymentRequestId: pr.id, value: { amount: '990', currency: 'NZD' }, assetType: 'farmlands.nzd.test' },
    });
    expect(Object.keys(envelope)).toEqual(['id', 'type', 'accountId', 'test', 'createdAt', 'data']);
    const check = await verifyNotificationJwt({
      authorization: got[1].auth,
      body: got[1].body,
      jwks,
      audience: new URL(receiverUrl).origin,
    });
    expect(check).toMatchObject({ ok: true, kid: jwks.keys[0].kid });
    expect(got[1].auth).not.toMatch(/^Bearer /);
    // The receiver records a delivery before it answers; the simulator marks it delivered once the answer arrives.
    await expect
      .poll(async () => (await control('GET', `/requests/${pr.id}`)).body.notifications, { timeout: 5000 })
      .toEqual([{ id: envelope.id, type: 'payment-request:paid', attempts: 2, delivered: true, lastResult: 'HTTP 204 ""' }]);
  });

  it('refund → refund-initiated then refund-completed; none for an unpaid cancel', async () => {
    const pr = (await create({ barcode: testPatronCode('0001') })).body;
    await api('GET', `/api/payment-requests/${pr.id}`);
    await api('POST', `/api/payment-requests/${pr.id}/void`);
    const other = (await create()).body;
    await api('POST', `/api/payment-requests/${other.id}/void`);
    // Each notification is its own signed HTTP delivery (signing is asynchronous), so they may arrive in any
    // order, as Centrapay's do; the receiver orders nothing by arrival (it re-queries the payment request).
    expect((await deliveries(pr.id, 3)).map((n) => (JSON.parse(n.body) as { type: string }).type).sort()).toEqual([
      'payment-request:paid',
      'payment-request:refund-completed',
      'payment-request:refund-initiated',
    ]);
    expect(notificationsFor(other.id)).toEqual([]);
  });

  it('the subscription can be changed and a tampered body fails verification', async () => {
    expect((await control('PUT', '/webhook', { url: 'ftp://x' })).status).toBe(400);
    const set = await control('PUT', '/webhook', { url: receiverUrl, audience: 'https://pos.example.com' });
    expect(set.body.webhook).toEqual({ url: receiverUrl, audience: 'https://pos.example.com' });
    const pr = (await create({ barcode: testPatronCode('0001') })).body;
    await api('GET', `/api/payment-requests/${pr.id}`);
    const [n] = await deliveries(pr.id, 1);
    const { jwks } = (await control('GET', '/webhook')).body;
    expect((await verifyNotificationJwt({ authorization: n.auth, body: n.body, jwks, audience: 'https://pos.example.com' })).ok).toBe(true);
    const tampered = n.body.replace('"990"', '"9900"');
    expect(await verifyNotificationJwt({ authorization: n.auth, body: tampered, jwks, audience: 'https://pos.example.com' })).toMatchObject(
      { ok: false, reason: 'body_hash_mismatch' },
    );
    await control('PUT', '/webhook', { url: null });
  });
});

describe('rate limit, faults, Luhn switch (own simulators)', () => {
  it('429 RATE_LIMIT_EXCEEDED with Retry-After once the account used its budget; JWKS/control do not count', async () => {
    const small = await startCentrapaySimulator({ rateLimit: 2, rateWindowMs: 1000 });
    try {
      const call = () => rawCentrapayCall(small.baseUrl, 'GET', '/api/payment-requests/x', { apiKey });
      expect((await call()).status).toBe(403);
      await rawCentrapayCall(small.baseUrl, 'GET', '/api/.well-known/jwks.json');
      await rawCentrapayCall(small.baseUrl, 'POST', '/control/codes', { body: {} });
      expect((await call()).status).toBe(403);
      const limited = await call();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: 'RATE_LIMIT_EXCEEDED' });
      await sleep(1000);
      expect((await call()).status).toBe(403);
    } finally {
      await small.close();
    }
  });

  it('faults: 500 after commit leaves the request created; drop before leaves nothing', async () => {
    const ref = `FAULT-${++seq}`;
    expect((await control('POST', '/faults', { path: '/api/nope', kind: 'http500' })).status).toBe(400);
    await control('POST', '/faults', { path: '/api/payment-requests', kind: 'http500', phase: 'after' });
    expect((await create({ externalRef: ref })).status).toBe(500);
    await control('POST', '/faults', { path: '/api/payment-requests', kind: 'drop', phase: 'before' });
    await expect(create({ externalRef: ref })).rejects.toThrow();
    expect((await control('GET', '/faults')).body).toEqual([]);
    const items = (await api('GET', `/api/payment-requests/external-ref/${ref}`)).body.items;
    expect(items).toHaveLength(1);
    expect(items[0].status).toBe('new');
  });

  it('with the Luhn check off, the docs example code is accepted', async () => {
    const lax = await startCentrapaySimulator({ luhnCheck: false });
    try {
      const r = await rawCentrapayCall(lax.baseUrl, 'POST', '/api/payment-requests', {
        apiKey,
        body: { configId, value: { amount: '10000', currency: 'NZD' }, barcode: '9990001234567895' },
      });
      expect(r.body).toMatchObject({ status: 'new', barcode: '9990001234567895', value: { amount: '10000', currency: 'NZD' } });
    } finally {
      await lax.close();
    }
  });
});
