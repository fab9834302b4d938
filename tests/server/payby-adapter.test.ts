// The PayBy adapter against the real simulator over HTTP (no mocks): QRPAY and DYNQR verdicts, outcome-unknown
// errors resolved by getOrder, cancel/revoke/refund. Failures and signatures: payby-adapter-faults.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayByAdapter, type PayByAdapter } from '../../server/providers/payby/adapter.ts';
import { startPayBySimulator, type RunningPayBySimulator } from '../../sandbox/payby/standalone.ts';
import { verifyPayByNotification } from '../../server/providers/payby/webhook.ts';
import { aed, caughtProviderError as caught, paybyConfig as config, simControl as control } from './helpers/payby.ts';

let sim: RunningPayBySimulator;
let adapter: PayByAdapter;
let seq = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ref = () => `PB-${Date.now()}-${++seq}`;

beforeAll(async () => {
  sim = await startPayBySimulator({ pendingMs: 150, slowMs: 4000, codeTtlMs: 5000, refundCompleteMs: 100 });
  adapter = createPayByAdapter(config(sim));
});
afterAll(() => sim.close());

describe('PayBy adapter ↔ simulator: QRPAY (customer-presented)', () => {
  it('declares itself per the contract', () => {
    expect(adapter.name).toBe('payby');
    expect(adapter.currencies).toEqual(['AED']);
    expect(adapter.cpmVendors).toEqual(['payby']);
    expect(adapter.confirmWindowMs).toBe(120_000);
  });

  it('OK… code: succeeded at once, orderNo as providerRef, amount exact at the simulator', async () => {
    const reference = ref();
    const v = await adapter.chargeCode({
      reference,
      amount: aed(1234),
      code: 'OK0000000001',
      vendor: 'payby',
      description: 'Two flat whites and a muffin',
    });
    expect(v.status).toBe('succeeded');
    expect(v.providerRef).toMatch(/^\d{18}$/);
    const { json } = await control(sim, `/orders/${reference}`);
    expect(json).toMatchObject({
      orderNo: v.providerRef,
      amount: '12.34',
      currency: 'AED',
      status: 'PAID_SUCCESS',
      mode: 'cpm',
      subject: 'Two flat whi',
    });
    // The one-time code is masked in what we keep for audit.
    expect(JSON.stringify(v.raw)).not.toContain('OK0000000001');
    expect(JSON.stringify(v.raw)).toContain('OK00****0001');
  });

  it('PWD… code: pending (payer enters password), then getOrder says succeeded', async () => {
    const reference = ref();
    const v = await adapter.chargeCode({ reference, amount: aed(60000), code: 'PWD000000001', vendor: 'payby' });
    expect(v.status).toBe('pending');
    await sleep(350);
    expect((await adapter.query({ reference, providerRef: v.providerRef }))?.status).toBe('succeeded');
    expect((await adapter.query({ reference }))?.status).toBe('succeeded');
  });

  it('wallet-issued code: pending until the wallet approves; the same code again is declined as used', async () => {
    const { json: code } = await control(sim, '/codes', 'POST', {});
    expect(code).toMatchObject({ vendor: 'payby', code: expect.stringMatching(/^2000\d{4}T\d{9}F$/) });
    const reference = ref();
    const v = await adapter.chargeCode({ reference, amount: aed(2500), code: code.code, vendor: 'payby' });
    expect(v.status).toBe('pending');
    const { json: state } = await control(sim, `/codes/${code.code}`);
    expect(state).toMatchObject({ state: 'used', transaction: { merchantOrderNo: reference, amount: '25.00', state: 'pending' } });
    expect((await control(sim, `/orders/${reference}/approve`, 'POST')).json.status).toBe('PAID_SUCCESS');
    expect((await adapter.query({ reference }))?.status).toBe('succeeded');
    const again = await adapter.chargeCode({ reference: ref(), amount: aed(2500), code: code.code, vendor: 'payby' });
    expect(again).toMatchObject({ status: 'failed', failure: { code: 'code_used' } });
  });

  it('wallet decline → failed with a cashier-fit message', async () => {
    const { json: code } = await control(sim, '/codes', 'POST', {});
    const reference = ref();
    await adapter.chargeCode({ reference, amount: aed(700), code: code.code, vendor: 'payby' });
    await control(sim, `/orders/${reference}/decline`, 'POST');
    const q = await adapter.query({ reference });
    expect(q?.status).toBe('failed');
    expect(q?.failure?.message).toMatch(/PayBy/);
  });

  it('REJ… code: a decline verdict (failCode 92000), not an exception', async () => {
    const v = await adapter.chargeCode({ reference: ref(), amount: aed(1000), code: 'REJ000000001', vendor: 'payby' });
    expect(v.status).toBe('failed');
    expect(v.failure).toMatchObject({ code: 'risk_rejected', message: expect.stringMatching(/risk/) });
  });

  it('SLOW… code: the client times out (outcome unknown); getOrder then finds it paid', async () => {
    const reference = ref();
    const err = await caught(adapter.chargeCode({ reference, amount: aed(1500), code: 'SLOW00000001', vendor: 'payby' }));
    expect(err).toMatchObject({ code: 'payby_timeout', outcomeUnknown: true });
    expect((await adapter.query({ reference }))?.status).toBe('succeeded');
  });

  it('refuses what PayBy could not take before any call: other currencies, bad references, non-codes', async () => {
    const reference = ref();
    expect(
      await caught(adapter.chargeCode({ reference, amount: { value: 100, currency: 'USD' }, code: 'OK0000000001', vendor: 'payby' })),
    ).toMatchObject({ code: 'unsupported_currency', outcomeUnknown: false });
    expect(
      await caught(adapter.chargeCode({ reference: 'has space', amount: aed(100), code: 'OK0000000001', vendor: 'payby' })),
    ).toMatchObject({ code: 'invalid_reference', outcomeUnknown: false });
    expect(await caught(adapter.chargeCode({ reference, amount: aed(1e14), code: 'OK0000000001', vendor: 'payby' }))).toMatchObject({
      code: 'invalid_amount',
      outcomeUnknown: false,
    });
    expect(await caught(adapter.chargeCode({ reference, amount: aed(100), code: 'https://x.example/', vendor: 'payby' }))).toMatchObject({
      code: 'invalid_code',
      outcomeUnknown: false,
    });
    expect((await control(sim, `/orders/${reference}`)).status).toBe(404);
  });

  it('the same reference again after it was paid (a lost answer): PayBy says 62001, the adapter answers with the order', async () => {
    const reference = ref();
    const first = await adapter.chargeCode({ reference, amount: aed(3100), code: 'OK0000000011', vendor: 'payby', description: 'First' });
    const again = await adapter.chargeCode({ reference, amount: aed(3100), code: 'OK0000000011', vendor: 'payby', description: 'Second' });
    expect(again).toMatchObject({ status: 'succeeded', providerRef: first.providerRef });
    expect(await caught(adapter.chargeCode({ reference, amount: aed(3200), code: 'OK0000000011', vendor: 'payby' }))).toMatchObject({
      code: 'payby_amount_mismatch',
      outcomeUnknown: true,
      providerRef: first.providerRef,
    });
  });

  it('query for a reference PayBy never saw → null', async () => {
    expect(await adapter.query({ reference: ref() })).toBeNull();
  });
});

describe('PayBy adapter ↔ simulator: DYNQR (merchant-presented)', () => {
  let receiver: Server;
  const received: { sign?: string; body: string }[] = [];
  let notifyUrl: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ sign: req.headers.sign as string | undefined, body });
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end('{"response":"SUCCESS"}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/payby`;
  });
  afterAll(() => new Promise((r) => receiver.close(r)));

  it('create → QR payload from tokenUrl with the order expiry → wallet pays → query succeeded + signed notification', async () => {
    const reference = ref();
    const before = Date.now();
    const v = await adapter.createQr!({ reference, amount: aed(4200), notifyUrl, vendor: 'payby' });
    expect(v.status).toBe('pending');
    expect(v.qr?.payload).toMatch(new RegExp(`^${sim.simUrl}/pay/[A-Za-z0-9_-]{22}$`));
    const expires = Date.parse(v.qr!.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 120_000);
    expect(expires).toBeLessThan(Date.now() + 121_000);

    // A phone opening the QR lands on the demo wallet with the payload.
    const landing = await fetch(v.qr!.payload, { redirect: 'manual' });
    expect(landing.status).toBe(302);
    expect(landing.headers.get('location')).toBe(`/wallet?qr=${encodeURIComponent(v.qr!.payload)}`);
    const token = v.qr!.payload.split('/').pop();
    const { json: seen } = await control(sim, `/tokens/${token}`);
    expect(seen).toMatchObject({ merchantOrderNo: reference, amount: '42.00', state: 'pending', mode: 'mpm' });

    expect((await control(sim, `/orders/${seen.orderNo}/pay`, 'POST')).json.status).toBe('PAID_SUCCESS');
    expect((await adapter.query({ reference, providerRef: v.providerRef }))?.status).toBe('succeeded');

    for (let i = 0; i < 40 && received.length === 0; i++) await sleep(25);
    const check = verifyPayByNotification(received[0].body, received[0].sign, sim.platformPublicKeyPem);
    expect(check).toMatchObject({
      ok: true,
      notification: { kind: 'payment', merchantOrderNo: reference, status: 'PAID_SUCCESS', orderNo: v.providerRef },
    });
    expect(verifyPayByNotification(received[0].body.replace('42', '24'), received[0].sign, sim.platformPublicKeyPem).ok).toBe(false);
  });

  it('cancel of an unpaid QR → cancelled; a second cancel stays cancelled; the QR can no longer be paid', async () => {
    const reference = ref();
    const v = await adapter.createQr!({ reference, amount: aed(900), notifyUrl });
    expect((await adapter.cancel({ reference, providerRef: v.providerRef })).status).toBe('cancelled');
    expect((await adapter.cancel({ reference, providerRef: v.providerRef })).status).toBe('cancelled');
    expect((await control(sim, `/orders/${reference}/pay`, 'POST')).status).toBe(409);
  });

  it('refuses a non-PayBy vendor for the QR', async () => {
    expect(await caught(adapter.createQr!({ reference: ref(), amount: aed(900), notifyUrl, vendor: 'alipay' }))).toMatchObject({
      code: 'vendor_not_supported',
      outcomeUnknown: false,
    });
  });
});

describe('PayBy adapter ↔ simulator: cancel, revoke, refund', () => {
  it('cancel of a pending QRPAY order → cancelled (cancelOrder)', async () => {
    const { json: code } = await control(sim, '/codes', 'POST', {});
    const reference = ref();
    const v = await adapter.chargeCode({ reference, amount: aed(300), code: code.code, vendor: 'payby' });
    expect((await adapter.cancel({ reference, providerRef: v.providerRef })).status).toBe('cancelled');
    expect((await control(sim, `/orders/${reference}`)).json).toMatchObject({ status: 'FAILURE', revoked: false });
  });

  it('cancel of an order paid meanwhile → revoke → reversed, money back via a refund order', async () => {
    const reference = ref();
    const v = await adapter.chargeCode({ reference, amount: aed(1250), code: 'OK0000000002', vendor: 'payby' });
    const c = await adapter.cancel({ reference, providerRef: v.providerRef });
    expect(c.status).toBe('reversed');
    const { json } = await control(sim, `/orders/${reference}`);
    expect(json).toMatchObject({ status: 'FAILURE', revoked: true, refunds: [{ amount: '12.50', viaRevoke: true }] });
    expect((await adapter.query({ reference }))?.status).toBe('reversed');
  });

  it('revoke: unpaid → cancelled; settled → reversed (status stays SETTLED); a revoked order cannot be refunded', async () => {
    const { json: code } = await control(sim, '/codes', 'POST', {});
    const unpaid = ref();
    await adapter.chargeCode({ reference: unpaid, amount: aed(100), code: code.code, vendor: 'payby' });
    expect((await adapter.revoke({ reference: unpaid })).status).toBe('cancelled');

    const settled = ref();
    await adapter.chargeCode({ reference: settled, amount: aed(100), code: 'OK0000000003', vendor: 'payby' });
    await control(sim, `/orders/${settled}/settle`, 'POST');
    expect((await adapter.revoke({ reference: settled })).status).toBe('reversed');
    expect((await control(sim, `/orders/${settled}`)).json).toMatchObject({ status: 'SETTLED', revoked: true });
    expect((await adapter.refund({ reference: settled, refundReference: ref(), amount: aed(50) })).status).toBe('failed');
  });

  it('refund: partial succeeds and is queryable; over the remainder fails; same reference replays; other amount is refused', async () => {
    const reference = ref();
    const v = await adapter.chargeCode({ reference, amount: aed(10000), code: 'OK0000000004', vendor: 'payby' });
    const refundReference = ref();
    const r1 = await adapter.refund({ reference, providerRef: v.providerRef, refundReference, amount: aed(2550) });
    expect(r1).toMatchObject({ status: 'succeeded', providerRef: expect.stringMatching(/^\d{18}$/) });
    const again = await adapter.refund({ reference, providerRef: v.providerRef, refundReference, amount: aed(2550) });
    expect(again.providerRef).toBe(r1.providerRef);
    expect(await caught(adapter.refund({ reference, providerRef: v.providerRef, refundReference, amount: aed(2551) }))).toMatchObject({
      code: 'payby_62017',
      outcomeUnknown: false,
    });
    expect((await adapter.refund({ reference, refundReference: ref(), amount: aed(7451) })).status).toBe('failed');
    await sleep(200);
    expect(await adapter.queryRefund(refundReference)).toMatchObject({ status: 'succeeded', providerRef: r1.providerRef });
    expect(await adapter.queryRefund(ref())).toBeNull();
    expect((await control(sim, `/orders/${reference}`)).json.refunds).toEqual([
      expect.objectContaining({ amount: '25.50', status: 'SUCCESS' }),
    ]);
  });
});
