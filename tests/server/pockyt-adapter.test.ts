// The Pockyt adapter against the real simulator over HTTP (no mocks): verdicts, outcome-unknown errors and
// their resolution by query, approve/decline through the wallet control routes, cancel and refund.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPockytAdapter } from '../../server/providers/pockyt/adapter.ts';
import { DEMO_CREDENTIALS, startPockytSimulator, type RunningSimulator } from '../../sandbox/pockyt/standalone.ts';
import { ProviderError, type PaymentAdapter, type ProviderVerdict } from '../../server/providers/types.ts';

let sim: RunningSimulator;
let adapter: PaymentAdapter;
let seq = 0;
const usd = (value: number) => ({ value, currency: 'USD' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startPockytSimulator({ pendingMs: 150, slowMs: 400, codeTtlMs: 5000 });
  adapter = createPockytAdapter({ baseUrl: sim.baseUrl, ...DEMO_CREDENTIALS, prepayTimeoutMs: 250, timeoutMs: 2000 });
});
afterAll(() => sim.close());

const charge = (code: string, value = 1250, vendor: 'alipay' | 'wechatpay' = 'alipay') =>
  adapter.chargeCode({ reference: `AD-${Date.now()}-${++seq}`, amount: usd(value), code, vendor });
const control = async (path: string, method = 'GET', body?: unknown) => {
  const res = await fetch(`${sim.baseUrl}/control${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
};
/** A port nothing listens on (ECONNREFUSED), found by binding and releasing it. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}
async function caught(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('Pockyt adapter ↔ simulator', () => {
  it('declares itself per the contract', () => {
    expect(adapter.name).toBe('pockyt');
    expect(adapter.currencies).toEqual(['USD']);
    expect(adapter.cpmVendors).toEqual(['alipay', 'wechatpay']);
    expect(adapter.confirmWindowMs).toBe(90_000);
  });

  it('0001: succeeded at once, with the transactionNo and an amount that matches', async () => {
    const v = await charge('286521182446650001', 1300);
    expect(v.status).toBe('succeeded');
    expect(v.providerRef).toMatch(/^\d{18}$/);
    const view = await control(`/transactions/${v.providerRef}`);
    expect(view).toMatchObject({ amount: '13.00', status: 'success', vendor: 'alipay' });
  });

  it('0002: pending, then query says succeeded', async () => {
    const v = await charge('134567890123450002', 1250, 'wechatpay');
    expect(v.status).toBe('pending');
    await sleep(400);
    const q = await adapter.query({ reference: 'ignored-when-ref-known', providerRef: v.providerRef });
    expect(q?.status).toBe('succeeded');
  });

  it('0003: pending, then query says failed with a cashier-fit reason', async () => {
    const v = await charge('286521182446650003');
    expect(v.status).toBe('pending');
    await sleep(400);
    const q = await adapter.query({ reference: 'x', providerRef: v.providerRef });
    expect(q?.status).toBe('failed');
    expect(q?.failure?.message).toMatch(/declined/i);
  });

  it('0004: outcome unknown (000080) with providerRef; query resolves it', async () => {
    const err = await caught(charge('286521182446650004'));
    expect(err.outcomeUnknown).toBe(true);
    expect(err.code).toBe('pockyt_000080');
    expect(err.providerRef).toMatch(/^\d{18}$/);
    const q = await adapter.query({ reference: 'x', providerRef: err.providerRef });
    expect(q?.status).toBe('failed');
  });

  it('0005: prepay timeout → outcome unknown with providerRef, then query finds the payment succeeded', async () => {
    const err = await caught(charge('286521182446650005'));
    expect(err).toMatchObject({ code: 'pockyt_timeout', outcomeUnknown: true });
    expect(err.providerRef).toMatch(/^\d{18}$/);
    const q = await adapter.query({ reference: 'x', providerRef: err.providerRef });
    expect(q?.status).toBe('succeeded');
  });

  it('query by reference works, and an unknown reference is null', async () => {
    const reference = `AD-ref-${++seq}`;
    const v = await adapter.chargeCode({ reference, amount: usd(100), code: '286521182446650001', vendor: 'alipay' });
    expect((await adapter.query({ reference }))?.providerRef).toBe(v.providerRef);
    expect(await adapter.query({ reference: 'never-created' })).toBeNull();
  });

  it('wallet code: pending until the customer approves; a reused code is a clear decline', async () => {
    const { code } = await control('/codes', 'POST', { vendor: 'alipay' });
    const v = await charge(code);
    expect(v.status).toBe('pending');
    expect((await adapter.query({ reference: 'x', providerRef: v.providerRef }))?.status).toBe('pending');
    await control(`/transactions/${v.providerRef}/approve`, 'POST');
    expect((await adapter.query({ reference: 'x', providerRef: v.providerRef }))?.status).toBe('succeeded');

    const reused = await charge(code);
    expect(reused.status).toBe('failed');
    expect(reused.failure).toEqual({ code: 'code_used', message: 'Payment code already used — ask for a fresh code' });
  });

  it('wallet code declined by the customer → failed', async () => {
    const { code } = await control('/codes', 'POST', { vendor: 'wechatpay' });
    const v = await charge(code, 999, 'wechatpay');
    await control(`/transactions/${v.providerRef}/decline`, 'POST');
    expect((await adapter.query({ reference: 'x', providerRef: v.providerRef }))?.status).toBe('failed');
  });

  it('cancel: unpaid → cancelled; paid → reversed; query afterwards agrees', async () => {
    const pending = await charge('286521182446657777');
    const c1 = await adapter.cancel({ reference: 'x', providerRef: pending.providerRef });
    expect(c1.status).toBe('cancelled');
    expect((await adapter.query({ reference: 'x', providerRef: pending.providerRef }))?.status).toBe('expired');

    const paid = await charge('286521182446650001', 2000);
    const c2 = await adapter.cancel({ reference: 'x', providerRef: paid.providerRef });
    expect(c2.status).toBe('reversed');
    expect((await adapter.query({ reference: 'x', providerRef: paid.providerRef }))?.status).toBe('reversed');
    expect(await control(`/transactions/${paid.providerRef}`)).toMatchObject({ status: 'success', refundAmount: '20.00' });

    expect((await adapter.cancel({ reference: 'never-created' })).status).toBe('cancelled');
  });

  it('refund: partial succeeds, too much is failed (a value, not an exception)', async () => {
    const paid = await charge('286521182446650001', 1000);
    const r1 = await adapter.refund({ reference: 'x', providerRef: paid.providerRef, refundReference: `RF-${seq}`, amount: usd(400) });
    expect(r1.status).toBe('succeeded');
    expect(r1.providerRef).toMatch(/^\d{18}$/);
    const r2 = await adapter.refund({ reference: 'x', providerRef: paid.providerRef, refundReference: `RF-${seq}-b`, amount: usd(601) });
    expect(r2.status).toBe('failed');
    expect((await adapter.query({ reference: 'x', providerRef: paid.providerRef }))?.status).toBe('succeeded');
  });

  it('config errors are not outcome-unknown; a dead endpoint before send is not either', async () => {
    const wrongToken = createPockytAdapter({ baseUrl: sim.baseUrl, ...DEMO_CREDENTIALS, token: 'wrong' });
    const e1 = await caught(wrongToken.chargeCode({ reference: 'cfg-1', amount: usd(100), code: '286521182446650001', vendor: 'alipay' }));
    expect(e1).toMatchObject({ code: 'pockyt_000030', outcomeUnknown: false });
    const dead = createPockytAdapter({ baseUrl: `http://127.0.0.1:${await closedPort()}/sim/pockyt`, ...DEMO_CREDENTIALS });
    const e2 = await caught(dead.chargeCode({ reference: 'cfg-2', amount: usd(100), code: '286521182446650001', vendor: 'alipay' }));
    expect(e2).toMatchObject({ code: 'pockyt_unreachable', outcomeUnknown: false });
    const e3 = await caught(
      adapter.chargeCode({ reference: 'cfg-3', amount: { value: 100, currency: 'NZD' }, code: '286521182446650001', vendor: 'alipay' }),
    );
    expect(e3.outcomeUnknown).toBe(false);
  });

  it('a 5xx after prepay was sent is outcome-unknown; a retried charge for the same reference does not add twice', async () => {
    await control('/faults', 'POST', { path: '/app-instore/v3/prepay', kind: 'http500', phase: 'after' });
    const reference = `AD-5xx-${++seq}`;
    const req = { reference, amount: usd(700), code: '286521182446650001', vendor: 'alipay' as const };
    const err = await caught(adapter.chargeCode(req));
    expect(err).toMatchObject({ code: 'pockyt_http_5xx', outcomeUnknown: true });
    const again: ProviderVerdict = await adapter.chargeCode(req);
    expect(again.status).toBe('succeeded');
    expect(again.providerRef).toBe(err.providerRef);
  });

  it('merchant QR: createQr returns the deepLink; paying it in the wallet makes query succeed', async () => {
    const v = await adapter.createQr!({
      reference: `QR-${++seq}`,
      amount: usd(800),
      vendor: 'wechatpay',
      notifyUrl: `http://127.0.0.1:${await closedPort()}/webhooks/pockyt`,
    });
    expect(v.status).toBe('pending');
    expect(v.qr?.payload).toBe(`${sim.baseUrl}/qr/${v.providerRef}`);
    expect(Date.parse(v.qr!.expiresAt)).toBeGreaterThan(Date.now());
    await control(`/transactions/${v.providerRef}/pay`, 'POST');
    expect((await adapter.query({ reference: 'x', providerRef: v.providerRef }))?.status).toBe('succeeded');
  });
});
