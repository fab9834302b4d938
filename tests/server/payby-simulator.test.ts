// The PayBy simulator as PayBy's protocol (raw HTTP, no adapter): who it lets in (Partner-Id, our `sign`, the
// requestTime window), how it signs, its codes, idempotency and state rules. Flows: payby-simulator-flows.test.ts.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBody } from '../../server/providers/payby/signing.ts';
import { rawPayByCall, type RawCallOptions } from '../../sandbox/payby/client.ts';
import { startPayBySimulator, type RunningPayBySimulator } from '../../sandbox/payby/standalone.ts';

let sim: RunningPayBySimulator;
let seq = 0;
const ref = () => `SIM-${Date.now()}-${++seq}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIN = 60_000;

const opts = (extra: Partial<RawCallOptions> = {}): RawCallOptions => ({
  partnerId: sim.partnerId,
  privateKey: sim.merchantPrivateKeyPem,
  platformPublicKey: sim.platformPublicKeyPem,
  ...extra,
});
const call = (path: string, biz: Record<string, unknown>, extra: Partial<RawCallOptions> = {}) =>
  rawPayByCall(sim.baseUrl, path, biz, opts(extra));
const order = (extra: Record<string, unknown> = {}) => ({
  merchantOrderNo: ref(),
  subject: 'Test',
  totalAmount: { currency: 'AED', amount: 12.34 },
  paySceneCode: 'QRPAY',
  paySceneParams: { authCode: 'OK0000000001' },
  ...extra,
});
const place = (biz: Record<string, unknown>, extra: Partial<RawCallOptions> = {}) => call('/acquire2/placeOrder', biz, extra);
async function control(path: string, method = 'GET', body?: unknown) {
  const res = await fetch(`${sim.simUrl}/control${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  sim = await startPayBySimulator({ pendingMs: 100, slowMs: 500, codeTtlMs: 30_000, refundCompleteMs: 50 });
});
afterAll(() => sim.close());

describe('PayBy simulator: admission (Partner-Id, sign, requestTime)', () => {
  it('a correct request gets a SUCCESS envelope signed over its raw bytes by the platform key', async () => {
    const r = await place(order());
    expect(r.status).toBe(200);
    expect(r.json.head).toMatchObject({
      applyStatus: 'SUCCESS',
      code: '0',
      msg: 'SUCCESS',
      success: true,
      traceCode: expect.stringMatching(/^\d{6}$/),
    });
    expect(r.json.body?.acquireOrder).toMatchObject({
      status: 'PAID_SUCCESS',
      totalAmount: { currency: 'AED', amount: 12.34 },
      revoked: 'false',
      payeeMid: sim.partnerId,
    });
    expect(r.verified).toBe(true);
    expect(verifyBody(r.text.replace('12.34', '12.35'), r.sign!, sim.platformPublicKeyPem)).toBe(false);
  });

  it('our body altered after signing → applyStatus ERROR, nothing created', async () => {
    const biz = order();
    const signedBody = JSON.stringify({ requestTime: Date.now(), bizContent: biz });
    const r = await place(biz, { rawBody: signedBody.replace('12.34', '1.34'), signOver: signedBody });
    expect(r.json.head).toMatchObject({ applyStatus: 'ERROR', code: '403', success: false });
    expect(r.json.body).toBeUndefined();
    expect(r.sign).toBeNull();
    expect((await control(`/orders/${biz.merchantOrderNo}`)).status).toBe(404);
  });

  it('no sign, a sign by another key, or re-serialised JSON → ERROR', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect((await place(order(), { sign: false })).json.head?.applyStatus).toBe('ERROR');
    expect((await place(order(), { privateKey: stranger })).json.head?.applyStatus).toBe('ERROR');
    const biz = order();
    const compact = JSON.stringify({ requestTime: Date.now(), bizContent: biz });
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    expect((await place(biz, { rawBody: pretty, signOver: compact })).json.head?.applyStatus).toBe('ERROR');
    // The same pretty bytes, signed as sent, are fine: no canonicalisation either way.
    expect((await place(biz, { rawBody: pretty })).json.head?.code).toBe('0');
  });

  it('Partner-Id missing → 400, unknown → 403 (both unsigned global codes)', async () => {
    const missing = await place(order(), { partnerId: undefined });
    expect(missing.json.head).toMatchObject({ applyStatus: 'FAIL', code: '400' });
    expect(missing.sign).toBeNull();
    const unknown = await place(order(), { partnerId: '200000000999' });
    expect(unknown.json.head).toMatchObject({ applyStatus: 'FAIL', code: '403' });
  });

  it('requestTime ±15 minutes: inside accepted, outside TOO_EARLY / TOO_LATER, not a number → 400', async () => {
    expect((await place(order(), { requestTime: Date.now() - 14 * MIN })).json.head?.code).toBe('0');
    expect((await place(order(), { requestTime: Date.now() + 14 * MIN })).json.head?.code).toBe('0');
    const early = await place(order(), { requestTime: Date.now() - 16 * MIN });
    expect(early.json.head).toMatchObject({ code: '400', msg: 'REQUESTTIME_TOO_EARLY' });
    expect(early.sign).toBeNull();
    expect((await place(order(), { requestTime: Date.now() + 16 * MIN })).json.head).toMatchObject({
      code: '400',
      msg: 'REQUESTTIME_TOO_LATER',
    });
    const text = await place({}, { rawBody: JSON.stringify({ requestTime: String(Date.now()), bizContent: order() }) });
    expect(text.json.head?.code).toBe('400');
    expect((await place({}, { rawBody: 'not json' })).json.head?.code).toBe('400');
  });

  it('an unknown API path → 404 SERVICE_NOT_AVAILABLE in the envelope', async () => {
    const r = await call('/acquire2/getCashierUrlInfo', { merchantOrderNo: 'x' });
    expect(r.json.head).toMatchObject({ code: '404', applyStatus: 'FAIL' });
  });
});

describe('PayBy simulator: placeOrder rules and idempotency', () => {
  it('field checks: subject, amount, currency, scene, authCode, expiredTime, notifyUrl', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ subject: 'Thirteen char' }, '400'],
      [{ subject: '' }, '400'],
      [{ totalAmount: { currency: 'AED', amount: 12.345 } }, '400'],
      // A decimal string is what PayBy's PHP SDK sends and is taken (sdk-payby-php.test.ts); a malformed one is not.
      [{ totalAmount: { currency: 'AED', amount: '12.345' } }, '400'],
      [{ totalAmount: { currency: 'AED', amount: '1e3' } }, '400'],
      [{ totalAmount: { currency: 'AED', amount: '0.00' } }, '400'],
      [{ totalAmount: { currency: 'USD', amount: 12.34 } }, '400'],
      [{ totalAmount: { currency: 'AED', amount: 1e12 } }, '400'],
      [{ merchantOrderNo: 'bad no.' }, '400'],
      [{ paySceneCode: 'FOO' }, '62012'],
      [{ paySceneCode: 'PAYPAGE' }, '62026'],
      [{ paySceneParams: {} }, '62033'],
      [{ paySceneCode: 'DYNQR', paySceneParams: { oneTimePayment: true } }, '62073'],
      [{ expiredTime: Date.now() - 1000 }, '62008'],
      [{ expiredTime: Date.now() + 49 * 3_600_000 }, '62009'],
      [{ notifyUrl: 'ftp://x' }, '400'],
    ];
    for (const [extra, code] of cases) {
      const r = await place(order(extra));
      expect({ extra, code: r.json.head?.code }).toEqual({ extra, code });
      // Business codes are signed; only the documented global ones may come unsigned.
      expect(r.sign === null).toBe(['400', '402', '403', '404', '500', '504', '601'].includes(code));
    }
  });

  it('same merchantOrderNo + same parameters → the same order; different parameters → 62016 / 62001', async () => {
    const { json: code } = await control('/codes', 'POST', {});
    const biz = order({ paySceneParams: { authCode: code.code } });
    const first = await place(biz);
    expect(first.json.body?.acquireOrder.status).toBe('CREATED');
    const again = await place({ ...biz }, { requestTime: Date.now() + 1000 });
    expect(again.json.body?.acquireOrder).toMatchObject({
      orderNo: first.json.body?.acquireOrder.orderNo,
      requestTime: first.json.body?.acquireOrder.requestTime,
    });
    expect((await place({ ...biz, totalAmount: { currency: 'AED', amount: 99 } })).json.head?.code).toBe('62016');
    await control(`/orders/${biz.merchantOrderNo}/approve`, 'POST');
    expect((await place({ ...biz, subject: 'Other' })).json.head?.code).toBe('62001');
    expect((await place(biz)).json.body?.acquireOrder.status).toBe('PAID_SUCCESS');
  });

  it('QRPAY test codes: REJ → FAILURE 92000; malformed code → FAILURE AUTHCODE_INVALID; PWD → CREATED then paid', async () => {
    expect((await place(order({ paySceneParams: { authCode: 'REJ000000001' } }))).json.body?.acquireOrder).toMatchObject({
      status: 'FAILURE',
      failCode: '92000',
    });
    expect((await place(order({ paySceneParams: { authCode: 'abc' } }))).json.body?.acquireOrder).toMatchObject({
      status: 'FAILURE',
      failDes: 'AUTHCODE_INVALID',
    });
    const pwd = order({ paySceneParams: { authCode: 'PWD000000001' } });
    expect((await place(pwd)).json.body?.acquireOrder.status).toBe('CREATED');
    await sleep(250);
    expect((await call('/acquire2/getOrder', { merchantOrderNo: pwd.merchantOrderNo })).json.body?.acquireOrder).toMatchObject({
      status: 'PAID_SUCCESS',
      paymentInfo: { paidAmount: { amount: 12.34 } },
    });
  });
});

describe('PayBy simulator: queries, cancel, revoke, refunds', () => {
  it('getOrder: exactly one id; unknown ids → 62004 / 62035 (signed)', async () => {
    const r = await call('/acquire2/getOrder', { merchantOrderNo: 'nope-1' });
    expect(r.json.head?.code).toBe('62004');
    expect(r.verified).toBe(true);
    expect((await call('/acquire2/getOrder', { orderNo: '130000000000000000' })).json.head?.code).toBe('62035');
    expect((await call('/acquire2/getOrder', { merchantOrderNo: 'a', orderNo: 'b' })).json.head?.code).toBe('400');
    expect((await call('/acquire2/getOrder', {})).json.head?.code).toBe('400');
  });

  it('cancelOrder: paid 62001, settled 62003, failed 62002; revoke of a settled order keeps SETTLED, revoked "true"', async () => {
    const paid = order();
    await place(paid);
    expect((await call('/acquire2/cancelOrder', { merchantOrderNo: paid.merchantOrderNo })).json.head?.code).toBe('62001');
    await control(`/orders/${paid.merchantOrderNo}/settle`, 'POST');
    expect((await call('/acquire2/cancelOrder', { merchantOrderNo: paid.merchantOrderNo })).json.head?.code).toBe('62003');
    const revoked = await call('/acquire2/revokeOrder', { merchantOrderNo: paid.merchantOrderNo });
    expect(revoked.json.body?.acquireOrder).toMatchObject({ status: 'SETTLED', revoked: 'true' });
    const failed = order({ paySceneParams: { authCode: 'REJ000000002' } });
    await place(failed);
    expect((await call('/acquire2/cancelOrder', { merchantOrderNo: failed.merchantOrderNo })).json.head?.code).toBe('62002');
  });

  it('revoke of a paid order → FAILURE, revoked "true", paymentInfo kept; a refund after that → 62040', async () => {
    const paid = order();
    await place(paid);
    const r = await call('/acquire2/revokeOrder', { merchantOrderNo: paid.merchantOrderNo });
    expect(r.json.body?.acquireOrder).toMatchObject({ status: 'FAILURE', revoked: 'true', paymentInfo: expect.any(Object) });
    const refund = await call('/acquire2/refund/placeOrder', {
      refundMerchantOrderNo: ref(),
      originMerchantOrderNo: paid.merchantOrderNo,
      amount: { currency: 'AED', amount: 1 },
    });
    expect(refund.json.head?.code).toBe('62040');
  });

  it('refund rules: 62015 unpaid, 62006 over remainder, 62017 same number other parameters, refund then revoke → 62041', async () => {
    const { json: code } = await control('/codes', 'POST', {});
    const unpaid = order({ paySceneParams: { authCode: code.code } });
    await place(unpaid);
    const refund = (origin: string, amount: number, no = ref()) =>
      call('/acquire2/refund/placeOrder', {
        refundMerchantOrderNo: no,
        originMerchantOrderNo: origin,
        amount: { currency: 'AED', amount },
        reason: 'test',
      });
    expect((await refund(unpaid.merchantOrderNo, 1)).json.head?.code).toBe('62015');
    const paid = order();
    await place(paid);
    const no = ref();
    const r1 = await refund(paid.merchantOrderNo, 10, no);
    expect(r1.json.body).toMatchObject({
      refundOrder: { status: 'REFUNDED_SETTLED', amount: { amount: 10 } },
      refundSummary: { acquireAmount: { amount: 12.34 }, remainRefundAmount: { amount: 2.34 } },
    });
    expect((await refund(paid.merchantOrderNo, 10, no)).json.body?.refundOrder.orderNo).toBe(r1.json.body?.refundOrder.orderNo);
    expect((await refund(paid.merchantOrderNo, 11, no)).json.head?.code).toBe('62017');
    expect((await refund(paid.merchantOrderNo, 2.35)).json.head?.code).toBe('62006');
    expect((await call('/acquire2/revokeOrder', { merchantOrderNo: paid.merchantOrderNo })).json.head?.code).toBe('62041');
    await sleep(120);
    expect((await call('/acquire2/refund/getOrder', { refundMerchantOrderNo: no })).json.body?.refundOrder.status).toBe('SUCCESS');
    expect((await call('/acquire2/refund/getOrder', { refundMerchantOrderNo: 'none' })).json.head?.code).toBe('62007');
  });
});
