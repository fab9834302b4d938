// PayBy through the real API over HTTP against the real PayBy simulator (demo mode, Dubai store): authCodes
// (instant, customer approval, decline), DYNQR merchant QR paid by poll, expiry, cancel at PayBy, signature
// failures both ways, and a currency PayBy does not take refused before any call.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paybyPost } from '../../server/providers/payby/http.ts';
import { loadPrivateKey, loadPublicKey } from '../../server/providers/payby/signing.ts';
import { DEMO_MERCHANT_PRIVATE_KEY_FILE, DEMO_PARTNER_ID, generatePayByKeyPair } from '../../sandbox/payby/keys.ts';
import { demoPayByPlatformKeys } from '../../sandbox/payby/demo.ts';
import { providerReference } from '../../server/payments/reference.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { callsNaming, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';
import { PAYBY_FAST } from './helpers/providers.ts';

const aed = (value: number) => ({ value, currency: 'AED' });

let server: TestServer;
let k: Kiosk;

beforeAll(async () => {
  server = await startServer({ ...PAYBY_FAST, SIM_PAYBY_NOTIFY_SCHEDULE_MS: 'none' }, { store: 'demo-ae' });
  k = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const sim = (kiosk: Kiosk, method: string, path: string, body?: unknown) =>
  kiosk.request(method, `/sim/payby/control${path}`, { body: body ?? (method === 'POST' ? {} : undefined), auth: false });
const cpm = (code: string, value = 2550) => k.pay({ orderId: order(), amount: aed(value), mode: 'cpm', code });
const mpm = () => k.pay({ orderId: order(), amount: aed(4500), mode: 'mpm', provider: 'payby' });
const sources = async (id: string, to: string) =>
  (await listPaymentEvents(server.app.kiosk.db, id)).filter((e) => e.applied && e.to === to).map((e) => e.source);

describe('PayBy authCodes (CPM)', () => {
  it('an instant code is paid in the placeOrder answer', async () => {
    const r = await cpm('OK0000000001');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'succeeded', provider: 'payby', vendor: 'payby', amount: aed(2550) });
    expect(r.body.providerRef).toBeTruthy();
    expect(await sources(r.body.id, 'succeeded')).toEqual(['sync']);
  });

  it('a wallet-issued code waits for the customer to approve', async () => {
    const code = (await sim(k, 'POST', '/codes')).body.code as string;
    const r = await cpm(code);
    expect(r.body.status).toBe('pending');
    expect((await sim(k, 'POST', `/orders/${r.body.providerRef}/approve`)).status).toBe(200);
    await k.waitFor(r.body.id, (p) => p.status === 'succeeded', 3000);
    expect(await sources(r.body.id, 'succeeded')).toEqual(['poll']);
  });

  it('declines are failed payments with a reason: risk rejection, and the customer saying no', async () => {
    const rejected = await cpm('REJ000000001');
    expect(rejected.body).toMatchObject({ status: 'failed', failure: { code: 'risk_rejected' } });
    const code = (await sim(k, 'POST', '/codes')).body.code as string;
    const r = await cpm(code);
    await sim(k, 'POST', `/orders/${r.body.providerRef}/decline`);
    const p = await k.waitFor(r.body.id, (x) => x.status === 'failed', 3000);
    expect(p.failure?.code).toBeTruthy();
  });
});

describe('PayBy merchant QR (DYNQR)', () => {
  it('shows the token URL; paid on the wallet → succeeded by poll', async () => {
    const r = await mpm();
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending', mode: 'mpm', provider: 'payby', vendor: 'payby' });
    expect(r.body.qr?.payload).toMatch(/\/sim\/payby\/pay\/[A-Za-z0-9_-]{22}$/);
    expect(Date.parse(r.body.qr!.expiresAt) - Date.now()).toBeGreaterThan(1000);
    expect((await sim(k, 'POST', `/orders/${r.body.providerRef}/pay`)).status).toBe(200);
    await k.waitFor(r.body.id, (p) => p.status === 'succeeded', 3000);
  });

  it('an unpaid QR expires', async () => {
    const r = await mpm();
    await k.waitFor(r.body.id, (p) => p.status === 'expired', 5000);
    const at = await sim(k, 'GET', `/orders/${r.body.providerRef}`);
    expect(at.body).toMatchObject({ status: 'FAILURE', state: 'failed' });
    expect((await sim(k, 'POST', `/orders/${r.body.providerRef}/pay`)).status).toBe(409);
  });

  it('past the QR’s expiry with PayBy still waiting, the reconciler queries, then cancels at PayBy → expired', async () => {
    const r = await mpm();
    // PayBy's expiry moved later than the one the kiosk shows (updateExpiredTime, signed with our key).
    const moved = await paybyPost(
      '/acquire2/updateExpiredTime',
      { orderNo: r.body.providerRef, expiredTime: Date.now() + 600_000 },
      {
        baseUrl: `${server.baseUrl}/sim/payby/sgs/api`,
        partnerId: DEMO_PARTNER_ID,
        timeoutMs: 2000,
        privateKey: loadPrivateKey(readFileSync(DEMO_MERCHANT_PRIVATE_KEY_FILE, 'utf8')),
        platformPublicKey: loadPublicKey(demoPayByPlatformKeys().publicKeyPem),
      },
    );
    expect(moved.head.code).toBe('0');
    const p = await k.waitFor(r.body.id, (x) => x.status === 'expired', 5000);
    expect(Date.now()).toBeGreaterThan(Date.parse(r.body.qr!.expiresAt));
    expect(p.failure).toBeUndefined();
    expect(await sources(r.body.id, 'expired')).toEqual(['reconciler']);
    // Closed by our cancel (no failCode), not by PayBy's own timeout.
    expect((await sim(k, 'GET', `/orders/${r.body.providerRef}`)).body).toMatchObject({ status: 'FAILURE', failCode: null });
  });

  it('cancel closes the order at PayBy', async () => {
    const r = await mpm();
    const c = await k.cancel(r.body.id);
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    expect((await sim(k, 'GET', `/orders/${r.body.providerRef}`)).body).toMatchObject({ status: 'FAILURE', failCode: null });
  });
});

describe('PayBy signatures', () => {
  it('an answer that fails verification is not trusted: unknown, then resolved by a verified query', async () => {
    for (const kind of ['tamper', 'wrong_key', 'strip_sign']) {
      expect((await sim(k, 'POST', '/faults', { path: '/acquire2/placeOrder', kind, phase: 'after' })).status).toBe(200);
      const r = await cpm('OK0000000002');
      expect(r.body.status).toBe('unknown');
      const p = await k.waitFor(r.body.id, (x) => x.status === 'succeeded', 3000);
      expect(p.needsAttention).toBe(false);
    }
  });

  it('our request signed with a key PayBy does not have is refused, and nothing is created there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payby-key-'));
    const file = join(dir, 'other-public.pem');
    writeFileSync(file, generatePayByKeyPair().publicKeyPem);
    const other = await startServer({ ...PAYBY_FAST, SIM_PAYBY_MERCHANT_PUBLIC_KEY_FILE: file }, { store: 'demo-ae' });
    try {
      const o = new Kiosk(other.baseUrl, other.token);
      const key = randomUUID();
      const r = await o.pay({ orderId: order(), amount: aed(1000), mode: 'cpm', code: 'OK0000000003' }, key);
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ status: 'failed', failure: { code: 'payby_sign_rejected' } });
      const reference = providerReference(other.terminalId, key);
      expect((await sim(o, 'GET', `/orders/${reference}`)).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('PayBy refusals before any call', () => {
  it('a currency the store does not take is 400 with no provider call', async () => {
    const calls = server.simLog.length;
    const key = randomUUID();
    const orderId = order();
    const r = await k.pay({ orderId, amount: { value: 1000, currency: 'NZD' }, mode: 'mpm', provider: 'payby' }, key);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('unsupported_currency');
    // Only this request's calls: the reconciler keeps re-checking the expired QRs above meanwhile.
    const during = server.simLog.slice(calls);
    expect(callsNaming(during, [providerReference(server.terminalId, key), orderId])).toEqual([]);
    expect(during.filter((c) => c.path.endsWith('/placeOrder'))).toEqual([]);
  });
});
