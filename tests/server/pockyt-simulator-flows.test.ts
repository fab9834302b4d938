// Pockyt simulator flows over HTTP: wallet codes + control routes, cancel/refund, IPN delivery with
// retries to a real local receiver, Pockyt-Request-ID replay, fault injection and merchant QR.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPockytCall } from '../../sandbox/pockyt/client.ts';
import { DEMO_CREDENTIALS, startPockytSimulator, type RunningSimulator } from '../../sandbox/pockyt/standalone.ts';
import { verifyPockytSign } from '../../server/providers/pockyt/signing.ts';
import { classifyCode } from '../../src/shared/classify.ts';

const { merchantNo, storeNo, token } = DEMO_CREDENTIALS;
let sim: RunningSimulator;
let seq = 0;

beforeAll(async () => {
  sim = await startPockytSimulator({
    pendingMs: 100,
    slowMs: 200,
    ipnRetryScheduleMs: [0, 80, 80],
    storeName: 'Corner Café',
  });
});
afterAll(() => sim.close());

// `on` is the simulator spoken to: the shared one, or a test's own.
const call = (path: string, fields: Record<string, string | undefined>, opts: { requestId?: string } = {}, on = sim) =>
  rawPockytCall(on.baseUrl, path, { merchantNo, storeNo, ...fields }, { token, ...opts });
const add = async (extra: Record<string, string> = {}, on = sim) =>
  (
    await call(
      '/app-instore/v3/add',
      { amount: '12.50', currency: 'USD', settleCurrency: 'USD', reference: `F-${++seq}`, ...extra },
      {},
      on,
    )
  ).body.result!.transactionNo as string;
const prepay = (transactionNo: string, paymentBarcode: string, on = sim) =>
  call('/app-instore/v3/prepay', { transactionNo, paymentBarcode }, {}, on);
const query = async (transactionNo: string) => (await call('/app-data-search/v3/tran-query', { transactionNo })).body.result!;
const control = async (method: string, path: string, body?: unknown, on = sim) => {
  const res = await fetch(`${on.baseUrl}/control${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('wallet codes', () => {
  it('issues classifiable one-time codes that wait for approve/decline', async () => {
    for (const vendor of ['alipay', 'wechatpay'] as const) {
      const issued = await control('POST', '/codes', { vendor });
      expect(issued.status).toBe(200);
      expect(classifyCode(issued.body.code)).toMatchObject({ ok: true, vendor });
      expect(issued.body.code).not.toMatch(/000[1-5]$/);
      expect((await control('GET', `/codes/${issued.body.code}`)).body).toMatchObject({ state: 'issued', vendor });
    }
    expect((await control('POST', '/codes', { vendor: 'paypal' })).status).toBe(400);
    expect((await control('GET', '/codes/123')).status).toBe(404);

    const { code } = (await control('POST', '/codes', { vendor: 'alipay' })).body;
    const no = await add();
    expect((await prepay(no, code)).body.result!.transactionStatus).toBe('pending');
    const seen = (await control('GET', `/codes/${code}`)).body;
    expect(seen).toMatchObject({
      state: 'used',
      transaction: { transactionNo: no, amount: '12.50', currency: 'USD', status: 'pending', storeName: 'Corner Café' },
    });
    await sleep(150); // longer than pendingMs: a wallet code must not follow a test-code timer
    expect((await query(no)).status).toBe('pending');
    expect((await control('POST', `/transactions/${no}/approve`)).body.status).toBe('success');
    expect((await query(no)).status).toBe('success');
    expect((await control('POST', `/transactions/${no}/decline`)).status).toBe(409);

    const again = await prepay(await add(), code);
    expect(again.body).toMatchObject({ ret_code: '000023', ret_msg: 'payment code already used' });
  });

  it('decline fails the charge', async () => {
    const { code } = (await control('POST', '/codes', { vendor: 'wechatpay' })).body;
    const no = await add();
    await prepay(no, code);
    expect((await control('POST', `/transactions/${no}/decline`)).body.status).toBe('failed');
    expect((await query(no)).status).toBe('failed');
  });

  it('an expired code is refused', async () => {
    // Codes that lapse in 100 ms on a simulator of their own: the shared one keeps the default life, so a code
    // minted for the other tests cannot expire while a loaded machine is slow to spend it (soak run 7).
    const shortLived = await startPockytSimulator({ codeTtlMs: 100 });
    try {
      const stale = (await control('POST', '/codes', { vendor: 'alipay' }, shortLived)).body.code;
      await sleep(300);
      expect((await control('GET', `/codes/${stale}`, undefined, shortLived)).body.state).toBe('expired');
      const r = await prepay(await add({}, shortLived), stale, shortLived);
      expect(r.body).toMatchObject({ ret_code: '000023', ret_msg: 'payment code expired' });
    } finally {
      await shortLived.close();
    }
  });
});

describe('cancel and refund', () => {
  it('cancel of an unpaid transaction closes it; repeating is harmless', async () => {
    const no = await add();
    await prepay(no, '286521182446658888');
    const c = await call('/app-data-search/v3/cancel', { transactionNo: no });
    // docs.yuansfer.com's cancel example answers an unpaid cancel with the transaction's new status, `closed`.
    expect(c.body).toMatchObject({ ret_code: '000100', result: { transactionNo: no, status: 'closed', refundAmount: '0.00' } });
    expect((await query(no)).status).toBe('closed');
    expect((await call('/app-data-search/v3/cancel', { transactionNo: no })).body.ret_code).toBe('000100');
    expect((await control('POST', `/transactions/${no}/approve`)).status).toBe(409);
  });

  it('cancel of a paid transaction refunds the rest; refunds are checked and replayable', async () => {
    const no = await add({ amount: '10.00' });
    await prepay(no, '286521182446650001');
    const refund = (refundAmount: string, refundReference: string) =>
      call('/app-data-search/v3/refund', {
        transactionNo: no,
        refundAmount,
        currency: 'USD',
        settleCurrency: 'USD',
        refundReference,
      });
    const r1 = await refund('3.00', 'RF-1');
    expect(r1.body).toMatchObject({ ret_code: '000100', result: { status: 'success', refundAmount: '3.00', refundReference: 'RF-1' } });
    expect((await refund('3.00', 'RF-1')).body.result!.refundTransactionNo).toBe(r1.body.result!.refundTransactionNo);
    expect((await refund('4.00', 'RF-1')).body.ret_code).toBe('000022');
    expect((await refund('7.01', 'RF-2')).body.ret_code).toBe('000023');

    const c = await call('/app-data-search/v3/cancel', { transactionNo: no });
    expect(c.body.result).toMatchObject({ status: 'success', refundAmount: '7.00' });
    const q = await query(no);
    expect(q).toMatchObject({ status: 'success', refundAmount: '10.00' });
    expect(q.refundInfo.map((r: { refundAmount: string }) => r.refundAmount)).toEqual(['3.00', '7.00']);
    expect((await refund('0.01', 'RF-3')).body.ret_code).toBe('000023');

    const unpaid = await add();
    expect(
      (
        await call('/app-data-search/v3/refund', {
          transactionNo: unpaid,
          refundAmount: '1.00',
          currency: 'USD',
          settleCurrency: 'USD',
          refundReference: 'RF-4',
        })
      ).body.ret_code,
    ).toBe('000040');
  });
});

describe('IPN', () => {
  let receiver: Server;
  const got: Array<{ type: string | undefined; fields: Record<string, string> }> = [];
  let url = '';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ type: req.headers['content-type'], fields: Object.fromEntries(new URLSearchParams(body)) });
        // First answer is not the exact acknowledgement, so Pockyt must retry.
        res.end(got.length === 1 ? 'success\n' : 'success');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/pockyt`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it('form-POSTs signed fields on a final status and retries until it gets exactly `success`', async () => {
    const no = await add({ ipnUrl: url });
    await prepay(no, '286521182446650001');
    for (let i = 0; i < 50 && got.length < 2; i++) await sleep(20);
    await sleep(200); // no third delivery once acknowledged
    expect(got).toHaveLength(2);
    for (const { type, fields } of got) {
      expect(type).toBe('application/x-www-form-urlencoded');
      expect(verifyPockytSign(fields, token)).toBe(true);
      expect(verifyPockytSign(fields, 'another-token')).toBe(false);
      expect(fields).toMatchObject({
        transactionNo: no,
        status: 'success',
        amount: '12.50',
        currency: 'USD',
        settleCurrency: 'USD',
        reference: `F-${seq}`,
      });
      expect(fields.time).toMatch(/^\d{14}$/);
      expect(fields.vendorId).toBeTruthy();
    }
    // The receiver records a delivery before it answers; the simulator marks it delivered once the answer arrives.
    await expect
      .poll(async () => (await control('GET', `/transactions/${no}`)).body.ipn, { timeout: 5000 })
      .toMatchObject({ attempts: 2, delivered: true, status: 'success' });
  });

  it('gives up after the schedule when never acknowledged', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const no = await add({ ipnUrl: `http://127.0.0.1:${port}/unreachable` });
    await prepay(no, '286521182446650001');
    const ipn = async () => (await control('GET', `/transactions/${no}`)).body.ipn;
    // Polled to the third attempt's result (a busy machine can take longer than any fixed wait), then left
    // well past the 80 ms schedule step: no fourth attempt.
    await expect.poll(ipn, { timeout: 5000 }).toMatchObject({ attempts: 3, delivered: false, lastResult: expect.stringMatching(/^error/) });
    await sleep(300);
    expect(await ipn()).toMatchObject({ attempts: 3, delivered: false });
  });
});

describe('Pockyt-Request-ID, faults, merchant QR', () => {
  it('a retried add with the same request id gets the first answer, not a duplicate error', async () => {
    const fields = { amount: '5.00', currency: 'USD', settleCurrency: 'USD', reference: `RID-${++seq}` };
    const a = await call('/app-instore/v3/add', fields, { requestId: 'rid-1' });
    const b = await call('/app-instore/v3/add', fields, { requestId: 'rid-1' });
    expect(b.body.result!.transactionNo).toBe(a.body.result!.transactionNo);
    expect((await call('/app-instore/v3/add', fields, { requestId: 'rid-2' })).body.ret_code).toBe('000022');
    expect((await call('/app-instore/v3/add', { ...fields, amount: '6.00' }, { requestId: 'rid-1' })).body.ret_code).toBe('000022');
  });

  it('injects 5xx before processing and a dropped connection after commit', async () => {
    expect((await control('POST', '/faults', { path: 'nope', kind: 'http500' })).status).toBe(400);
    await control('POST', '/faults', { path: '/app-data-search/v3/tran-query', kind: 'http500' });
    const no = await add();
    const r = await call('/app-data-search/v3/tran-query', { transactionNo: no });
    expect(r.status).toBe(500);
    expect((await query(no)).status).toBe('init');

    await control('POST', '/faults', { path: '/app-instore/v3/prepay', kind: 'drop', phase: 'after' });
    await expect(prepay(no, '286521182446650001')).rejects.toThrow();
    expect((await query(no)).status).toBe('success');
    expect((await control('GET', '/faults')).body).toEqual([]);
  });

  it('a fault is for the next call: one already in progress when it was armed does not take it', async () => {
    // The call in progress is held before processing; the fault armed meanwhile is an 'after' one, which the
    // held call would reach first. Both crash-payments and pockyt-adapter once lost their fault to such a call.
    await control('POST', '/faults', { path: '/app-data-search/v3/tran-query', kind: 'delay', phase: 'before', ms: 300 });
    const no = await add();
    const held = call('/app-data-search/v3/tran-query', { transactionNo: no });
    while (((await control('GET', '/faults')).body as unknown[]).length > 0) await sleep(5);
    await control('POST', '/faults', { path: '/app-data-search/v3/tran-query', kind: 'http500', phase: 'after' });
    expect((await held).status).toBe(200);
    expect((await call('/app-data-search/v3/tran-query', { transactionNo: no })).status).toBe(500);
    expect((await control('GET', '/faults')).body).toEqual([]);
  });

  it('create-trans-qrcode returns a deepLink the wallet can pay', async () => {
    const r = await call('/app-instore/v3/create-trans-qrcode', {
      amount: '8.00',
      currency: 'USD',
      settleCurrency: 'USD',
      vendor: 'alipay',
      reference: `QR-${++seq}`,
      ipnUrl: 'https://example.invalid/ipn',
      needQrcode: 'true',
    });
    expect(r.body.ret_code).toBe('000100');
    const { transactionNo, deepLink, qrcodeUrl } = r.body.result!;
    expect(deepLink).toBe(`${sim.baseUrl}/qr/${transactionNo}`);
    const svg = await fetch(qrcodeUrl);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const hop = await fetch(deepLink, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    expect(hop.headers.get('location')).toBe(`/wallet?qr=${encodeURIComponent(deepLink)}`);
    expect((await prepay(transactionNo, '286521182446650001')).body.ret_code).toBe('000022');
    expect((await control('POST', `/transactions/${transactionNo}/pay`)).body.status).toBe('success');
    expect((await query(transactionNo)).status).toBe('success');
    expect(
      (
        await call('/app-instore/v3/create-trans-qrcode', {
          amount: '8.00',
          currency: 'USD',
          settleCurrency: 'USD',
          reference: 'x',
          ipnUrl: 'https://e/x',
        })
      ).body.ret_code,
    ).toBe('000020');
  });
});
