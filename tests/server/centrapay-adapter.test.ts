// The Centrapay adapter against the real simulator over HTTP (no mocks): CPM and MPM verdicts, the
// patron's approval and decline, Quick Pay on the first poll, expiry, void on cancel, recovery of a create
// whose answer was lost (by externalRef), refunds, and 429 back-off.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentrapayAdapter } from '../../server/providers/centrapay/adapter.ts';
import { rawCentrapayCall } from '../../sandbox/centrapay/client.ts';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS, startCentrapaySimulator, type RunningSimulator } from '../../sandbox/centrapay/standalone.ts';
import { ProviderError, type PaymentAdapter } from '../../server/providers/types.ts';

let sim: RunningSimulator;
let adapter: PaymentAdapter;
let seq = 0;
const nzd = (value: number) => ({ value, currency: 'NZD' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ref = () => `kq-test-${Date.now()}-${++seq}`;
const NOTIFY = 'http://127.0.0.1:9/webhooks/centrapay';

beforeAll(async () => {
  sim = await startCentrapaySimulator({ pendingMs: 100, secondMs: 100 });
  adapter = createCentrapayAdapter({
    baseUrl: sim.baseUrl,
    ...DEMO_CREDENTIALS,
    merchantAccountId: DEMO_ACCOUNT_ID,
    merchantTerminalId: 'kiosk-1',
    timeoutMs: 2000,
  });
});
afterAll(() => sim.close());

const charge = (code: string, value = 1250, reference = ref()) =>
  adapter.chargeCode({ reference, amount: nzd(value), code, vendor: 'centrapay' });
const q = (providerRef?: string, reference = 'unused-when-id-known') => adapter.query({ reference, providerRef });
const control = async (path: string, method: 'GET' | 'POST' = 'GET', body?: unknown) =>
  (await rawCentrapayCall(sim.baseUrl, method, `/control${path}`, { body })).body;
async function caught(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('Centrapay adapter ↔ simulator', () => {
  it('declares itself per the contract', () => {
    expect(adapter.name).toBe('centrapay');
    expect(adapter.currencies).toEqual(['NZD']);
    expect(adapter.cpmVendors).toEqual(['centrapay']);
    expect(adapter.confirmWindowMs).toBe(90_000);
  });

  it('CPM Quick Pay: pending after create, charged by the first poll (query → succeeded)', async () => {
    const reference = ref();
    const v = await charge(testPatronCode('0001'), 1300, reference);
    expect(v.status).toBe('pending');
    expect(v.qr).toBeUndefined();
    const view = await control(`/requests/${v.providerRef}`);
    expect(view).toMatchObject({
      status: 'new',
      value: { amount: '1300', currency: 'NZD' },
      externalRef: reference,
      barcode: testPatronCode('0001'),
    });
    expect(Date.parse(view.expiresAt) - Date.parse(view.createdAt)).toBe(85 * 100); // expirySeconds = window − 5 s
    expect((await q(v.providerRef))?.status).toBe('succeeded');
  });

  it('patron approval: a wallet code stays pending until the patron approves', async () => {
    const { code } = await control('/codes', 'POST', {});
    const v = await charge(code);
    expect(v.status).toBe('pending');
    expect((await q(v.providerRef))?.status).toBe('pending');
    await control(`/requests/${v.providerRef}/approve`, 'POST');
    expect((await q(v.providerRef))?.status).toBe('succeeded');
  });

  it('declines are verdicts with cashier-friendly messages', async () => {
    const declined = await charge(testPatronCode('0003'));
    await sleep(250);
    expect(await q(declined.providerRef)).toMatchObject({ status: 'failed', failure: { code: 'declined_by_customer' } });

    expect(await charge(testPatronCode('0004'))).toMatchObject({ status: 'failed', failure: { code: 'code_invalid' } });
    expect(await charge('9990001234567895')).toMatchObject({
      status: 'failed',
      failure: { code: 'code_misread', message: expect.stringMatching(/scan it again/) },
    });
    expect(await charge(testPatronCode('0006'))).toMatchObject({ status: 'failed', failure: { code: 'no_payment_options' } });
    const { code } = await control('/codes', 'POST', {});
    await charge(code);
    expect((await charge(code)).failure?.code).toBe('code_invalid'); // a used patron code
  });

  it('MPM: createQr → the request url as QR payload → patron pays → succeeded', async () => {
    const v = await adapter.createQr!({ reference: ref(), amount: nzd(800), notifyUrl: NOTIFY });
    expect(v.status).toBe('pending');
    expect(v.qr?.payload).toBe(`${sim.baseUrl}/pay/${v.providerRef}`);
    expect(Date.parse(v.qr!.expiresAt)).toBeGreaterThan(Date.now());
    expect((await q(v.providerRef))?.qr?.payload).toBe(v.qr?.payload);
    await control(`/requests/${v.providerRef}/pay`, 'POST');
    const paid = await q(v.providerRef);
    expect(paid?.status).toBe('succeeded');
    expect(paid?.qr).toBeUndefined();
  });

  it('expiry, then a new request for a new attempt; voiding the expired one says expired', async () => {
    const short = createCentrapayAdapter({ baseUrl: sim.baseUrl, ...DEMO_CREDENTIALS, confirmWindowMs: 7000 }); // expirySeconds 2 = 200 ms here
    const first = await short.createQr!({ reference: ref(), amount: nzd(450), notifyUrl: NOTIFY });
    expect(Date.parse(first.qr!.expiresAt) - Date.now()).toBeLessThanOrEqual(200);
    await sleep(260);
    expect((await short.query({ reference: 'x', providerRef: first.providerRef }))?.status).toBe('expired');
    expect((await short.cancel({ reference: 'x', providerRef: first.providerRef })).status).toBe('expired');
    const second = await short.createQr!({ reference: ref(), amount: nzd(450), notifyUrl: NOTIFY });
    expect(second.providerRef).not.toBe(first.providerRef);
    expect(second.status).toBe('pending');
  });

  it('cancel voids: unpaid → cancelled; paid → reversed (query agrees); unknown reference → cancelled', async () => {
    const pending = await adapter.createQr!({ reference: ref(), amount: nzd(600), notifyUrl: NOTIFY });
    expect((await adapter.cancel({ reference: 'x', providerRef: pending.providerRef })).status).toBe('cancelled');
    expect((await q(pending.providerRef))?.status).toBe('cancelled');
    expect((await adapter.cancel({ reference: 'x', providerRef: pending.providerRef })).status).toBe('cancelled'); // repeatable

    const paid = await charge(testPatronCode('0001'), 2000);
    await q(paid.providerRef);
    expect((await adapter.cancel({ reference: 'x', providerRef: paid.providerRef })).status).toBe('reversed');
    expect((await q(paid.providerRef))?.status).toBe('reversed');
    expect(await control(`/requests/${paid.providerRef}`)).toMatchObject({ status: 'paid', refundedAmount: '2000' });
    expect((await adapter.cancel({ reference: 'x', providerRef: paid.providerRef })).status).toBe('reversed');

    expect((await adapter.cancel({ reference: 'never-created' })).status).toBe('cancelled');
    const byRef = ref();
    await charge(testPatronCode('7777'), 300, byRef);
    expect((await adapter.cancel({ reference: byRef })).status).toBe('cancelled');
  });

  it('lost create answer (500 after commit): found again by externalRef, never created twice', async () => {
    await control('/faults', 'POST', { path: '/api/payment-requests', kind: 'http500', phase: 'after' });
    const reference = ref();
    const v = await charge(testPatronCode('7777'), 700, reference);
    expect(v.status).toBe('pending');
    expect(v.providerRef).toMatch(/^[A-Za-z0-9]{22}$/);
    const listed = await rawCentrapayCall(sim.baseUrl, 'GET', `/api/payment-requests/external-ref/${reference}`, {
      apiKey: DEMO_CREDENTIALS.apiKey,
    });
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([v.providerRef]);
  });

  it('lost create answer with the lookup failing too: outcome unknown, then query by reference finds it', async () => {
    await control('/faults', 'POST', { path: '/api/payment-requests', kind: 'drop', phase: 'after' });
    await control('/faults', 'POST', { path: '/api/payment-requests/external-ref/:externalRef', kind: 'http500', times: 2 });
    const reference = ref();
    const err = await caught(charge(testPatronCode('7777'), 710, reference));
    expect(err).toMatchObject({ code: 'centrapay_network', outcomeUnknown: true });
    const found = await q(undefined, reference);
    expect(found?.status).toBe('pending');
    expect((await control(`/requests/${found?.providerRef}`)).externalRef).toBe(reference);
    expect(await q(undefined, 'kq-never-sent')).toBeNull();
  });

  it('a create sent twice: query by reference keeps the paid one and voids the duplicate', async () => {
    const reference = ref();
    const dup = await charge(testPatronCode('7777'), 500, reference); // stays new
    const paid = await charge(testPatronCode('0002'), 500, reference); // approved after pendingMs
    await sleep(250);
    const v = await q(undefined, reference);
    expect(v).toMatchObject({ status: 'succeeded', providerRef: paid.providerRef });
    expect(await control(`/requests/${dup.providerRef}`)).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'CANCELLED_BY_MERCHANT',
    });
  });

  it('refund: partial succeeds, too much is a failed value, the same refundReference replays', async () => {
    const paid = await charge(testPatronCode('0001'), 1000);
    await q(paid.providerRef);
    const r1 = await adapter.refund({ reference: 'x', providerRef: paid.providerRef, refundReference: 'RF-1', amount: nzd(400) });
    expect(r1.status).toBe('succeeded');
    expect(r1.providerRef).toMatch(/^CP-[A-Z0-9]{3}-[A-Z0-9]{3}-\d{3}$/);
    expect(
      await adapter.refund({ reference: 'x', providerRef: paid.providerRef, refundReference: 'RF-1', amount: nzd(400) }),
    ).toMatchObject({ status: 'succeeded', providerRef: r1.providerRef });
    expect(
      (await adapter.refund({ reference: 'x', providerRef: paid.providerRef, refundReference: 'RF-2', amount: nzd(601) })).status,
    ).toBe('failed');
    expect((await q(paid.providerRef))?.status).toBe('succeeded');
  });

  it('config and currency errors are not outcome-unknown', async () => {
    const e1 = await caught(
      createCentrapayAdapter({ baseUrl: sim.baseUrl, ...DEMO_CREDENTIALS, apiKey: 'wrong' }).chargeCode({
        reference: ref(),
        amount: nzd(100),
        code: testPatronCode('0001'),
        vendor: 'centrapay',
      }),
    );
    expect(e1).toMatchObject({ code: 'centrapay_unauthorized', outcomeUnknown: false });
    const e2 = await caught(
      createCentrapayAdapter({ baseUrl: sim.baseUrl, ...DEMO_CREDENTIALS, configId: 'mc_other' }).createQr!({
        reference: ref(),
        amount: nzd(100),
        notifyUrl: NOTIFY,
      }),
    );
    expect(e2).toMatchObject({ code: 'centrapay_Forbidden', outcomeUnknown: false });
    const e3 = await caught(
      adapter.chargeCode({ reference: ref(), amount: { value: 100, currency: 'USD' }, code: testPatronCode('0001'), vendor: 'centrapay' }),
    );
    expect(e3).toMatchObject({ code: 'unsupported_currency', outcomeUnknown: false });
    const e5 = await caught(adapter.createQr!({ reference: ref(), amount: nzd(100_000_000), notifyUrl: NOTIFY }));
    expect(e5).toMatchObject({ code: 'invalid_amount', outcomeUnknown: false });
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as { port: number };
    await new Promise((r) => srv.close(r));
    const dead = createCentrapayAdapter({ baseUrl: `http://127.0.0.1:${port}/sim/centrapay`, ...DEMO_CREDENTIALS });
    const e4 = await caught(dead.createQr!({ reference: ref(), amount: nzd(100), notifyUrl: NOTIFY }));
    expect(e4).toMatchObject({ code: 'centrapay_unreachable', outcomeUnknown: false });
  });
});

describe('429 back-off (own simulator: 3 requests per second)', () => {
  it('a query waits out Retry-After and succeeds; a create is refused with retryAfterMs, outcome known', async () => {
    const small = await startCentrapaySimulator({ rateLimit: 3, rateWindowMs: 1000 });
    try {
      const a = createCentrapayAdapter({ baseUrl: small.baseUrl, ...DEMO_CREDENTIALS, merchantAccountId: DEMO_ACCOUNT_ID });
      const v = await a.createQr!({ reference: ref(), amount: nzd(100), notifyUrl: NOTIFY }); // 1
      await a.query({ reference: 'x', providerRef: v.providerRef }); // 2
      await a.query({ reference: 'x', providerRef: v.providerRef }); // 3
      const err = await caught(a.createQr!({ reference: ref(), amount: nzd(100), notifyUrl: NOTIFY }));
      expect(err).toMatchObject({ code: 'centrapay_rate_limited', outcomeUnknown: false, retryAfterMs: 1000 });
      const t0 = Date.now();
      const after = await a.query({ reference: 'x', providerRef: v.providerRef });
      expect(after?.status).toBe('pending');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    } finally {
      await small.close();
    }
  });
});
