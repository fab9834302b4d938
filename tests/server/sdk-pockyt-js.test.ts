// Pockyt's official JavaScript SDK against the simulator, request for request. The SDK itself cannot be
// installed here, so this file rebuilds exactly what it puts on the wire, from
// github.com/yuansfer/yuansfer-jssdk @ 9b39df4 (dist/Yuansfer-js-sdk.js, built from src/):
// - src/request.js: axios POST, `Content-Type: application/x-www-form-urlencoded;charset=UTF-8`, body =
//   qs.stringify(data) (undefined fields left out, '' kept), merchantNo/storeNo added, and
//   calculateVerifySign(): sorted `k=v` of every truthy value (or `false`) + md5(token), md5 of the whole;
//   any ret_code other than 000100 rejects.
// - src/api/index.js: the path and field list of each call used below (reverse, cashierAdd,
//   createTransQrcode, refund, add, pay, tranQuery).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startPockytSimulator, type RunningSimulator } from '../../sandbox/pockyt/standalone.ts';
import { verifySign } from '../../server/providers/pockyt/signing.ts';

type Data = Record<string, string | number | boolean | undefined>;
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** src/request.js calculateVerifySign, line for line. */
function calculateVerifySign(contents: Data, token: string): string {
  const parts: string[] = [];
  for (const k of Object.keys(contents).sort()) {
    const v = contents[k];
    if (v || v === false) parts.push(`${k}=${String(v)}`);
  }
  parts.push(md5(token));
  return md5(parts.join('&'));
}

/** qs.stringify defaults: RFC 3986 percent-encoding, undefined skipped, '' sent as `k=`. */
function qsStringify(data: Data): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');
}

let sim: RunningSimulator;
let seq = 0;
const { merchantNo, storeNo, token } = DEMO_CREDENTIALS;

async function sdk(url: string, data: Data): Promise<{ http: number; ret_code?: string; ret_msg?: string; result?: any }> {
  const body: Data = { ...data, merchantNo, storeNo };
  body.verifySign = calculateVerifySign(body, token);
  const res = await fetch(sim.baseUrl + url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: qsStringify(body),
  });
  const text = await res.text();
  return { http: res.status, ...(res.status === 200 ? JSON.parse(text) : {}) };
}

// The SDK's wrappers (src/api/index.js), fields as listed there.
type P = Record<string, string | undefined>;
const add = (p: P) =>
  sdk('/app-instore/v3/add', {
    storeAdminNo: p.storeAdminNo,
    amount: p.amount,
    currency: p.currency,
    settleCurrency: p.settleCurrency,
    reference: p.reference,
    description: p.description,
  });
const pay = (p: P) =>
  sdk('/app-instore/v3/pay', {
    storeAdminNo: p.storeAdminNo,
    transactionNo: p.transactionNo,
    reference: p.reference,
    paymentBarcode: p.paymentBarcode,
    vendor: p.vendor,
  });
const reverse = (p: P) =>
  sdk('/app-instore/v3/reverse', { storeAdminNo: p.storeAdminNo, transactionNo: p.transactionNo, reference: p.reference });
const createTransQrcode = (p: P) =>
  sdk('/app-instore/v3/create-trans-qrcode', {
    storeAdminNo: p.storeAdminNo,
    amount: p.amount,
    currency: p.currency,
    settleCurrency: p.settleCurrency,
    vendor: p.vendor,
    reference: p.reference,
    ipnUrl: p.ipnUrl,
    needQrcode: p.needQrcode,
    timeout: p.timeout,
  });
const cashierAdd = (p: P) =>
  sdk('/app-instore/v3/cashier-add', {
    storeAdminNo: p.storeAdminNo,
    amount: p.amount,
    currency: p.currency,
    settleCurrency: p.settleCurrency,
    transactionNo: p.transactionNo,
    reference: p.reference,
    ipnUrl: p.ipnUrl,
  });
const refund = (p: P) =>
  sdk('/app-data-search/v3/refund', {
    refundAmount: p.refundAmount,
    currency: p.currency,
    settleCurrency: p.settleCurrency,
    transactionNo: p.transactionNo,
    reference: p.reference,
    refundReference: p.refundReference,
  });
const tranQuery = (p: P) => sdk('/app-data-search/v3/tran-query', { transactionNo: p.transactionNo, reference: p.reference });

const usd = { currency: 'USD', settleCurrency: 'USD' };
const ref = () => `JSSDK-${Date.now()}-${++seq}`;
/** A paid transaction: add, then pay with a test code that succeeds at once (README: suffix 0001). */
async function paid(amount: string): Promise<string> {
  const a = await add({ amount, ...usd, reference: ref(), description: 'two words' });
  expect(a.ret_code).toBe('000100');
  const p = await pay({ transactionNo: a.result.transactionNo, paymentBarcode: '280000000000000001', vendor: 'alipay' });
  expect(p.result.transactionStatus).toBe('success');
  return a.result.transactionNo as string;
}

beforeAll(async () => {
  sim = await startPockytSimulator({ pendingMs: 200, minuteMs: 60_000 });
});
afterAll(() => sim.close());

describe('the JS SDK request construction', () => {
  it('signs exactly as our signing code does for the spec vector (so the replica above is faithful)', () => {
    const prepay = {
      merchantNo: '200043',
      storeNo: '303660',
      transactionNo: '316129873376769782',
      paymentBarcode: '286521182446652715',
      vendor: 'alipay',
    };
    expect(calculateVerifySign(prepay, token)).toBe('6b3ac08e8d4b025a32b0720eb5d1d5d4');
    // An empty string is posted but not signed by the JS SDK; the simulator must take it.
    expect(calculateVerifySign({ ...prepay, storeAdminNo: '' }, token)).toBe(verifySign(prepay, token));
  });

  it('add with an empty storeAdminNo (posted as `storeAdminNo=`, left out of the signature) is accepted', async () => {
    const a = await add({ storeAdminNo: '', amount: '5', ...usd, reference: ref() });
    expect(a.ret_code).toBe('000100');
    expect(a.result.amount).toBe('5.00');
  });
});

describe('reverse() → /app-instore/v3/reverse', () => {
  it('of a paid transaction refunds what is left of it', async () => {
    const no = await paid('10.00');
    const part = await refund({ refundAmount: '2.50', ...usd, transactionNo: no, refundReference: `R-${no}` });
    expect(part.ret_code).toBe('000100');
    const r = await reverse({ transactionNo: no });
    expect(r.http).toBe(200);
    expect(r.ret_code).toBe('000100');
    // docs.yuansfer.com's cancel example: amount a number, status of the refund, "cancel success ".
    expect(r.ret_msg).toBe('cancel success ');
    expect(r.result).toMatchObject({ transactionNo: no, amount: 10, currency: 'USD', status: 'success' });
    const q = await tranQuery({ transactionNo: no });
    expect(q.result.status).toBe('success');
    expect(q.result.refundAmount).toBe('10.00');
    expect(q.result.refundInfo.map((i: { refundAmount: string }) => i.refundAmount)).toEqual(['2.50', '7.50']);
  });

  it('of an unpaid transaction closes it, by reference, and it can no longer be paid', async () => {
    const reference = ref();
    const a = await add({ amount: '3.00', ...usd, reference });
    const r = await reverse({ reference });
    expect(r.ret_code).toBe('000100');
    expect(r.result).toMatchObject({ reference, amount: 3, status: 'closed' });
    const q = await tranQuery({ reference });
    expect(q.result).toMatchObject({ status: 'closed', refundAmount: '0.00', refundInfo: [] });
    const late = await pay({ transactionNo: a.result.transactionNo, paymentBarcode: '280000000000000001', vendor: 'alipay' });
    expect(late.ret_code).toBe('000022');
  });

  it('of an unknown transaction is 000021, not a 404', async () => {
    const r = await reverse({ transactionNo: '399999999999999999' });
    expect(r.http).toBe(200);
    expect(r.ret_code).toBe('000021');
  });
});

describe('calls the SDKs make that the simulator refused', () => {
  it('createTransQrcode without ipnUrl (optional in every SDK) makes the merchant QR', async () => {
    const r = await createTransQrcode({ amount: '3.00', ...usd, vendor: 'alipay', reference: ref(), needQrcode: 'true', timeout: '5' });
    expect(r.ret_code).toBe('000100');
    expect(r.result.deepLink).toMatch(/\/qr\/\d{18}$/);
    // The docs' create-qrcode example: ret_msg "add success", timeout a string.
    expect(r.ret_msg).toBe('add success');
    expect(r.result.timeout).toBe('5');
    expect(r.result.qrcodeUrl).toBe(`${r.result.deepLink}.svg`);
    // needQrcode=false: no hosted QR image, only the deepLink to render.
    const plain = await createTransQrcode({ amount: '3.00', ...usd, vendor: 'wechatpay', reference: ref(), needQrcode: 'false' });
    expect(plain.ret_code).toBe('000100');
    expect(plain.result.deepLink).toMatch(/\/qr\/\d{18}$/);
    expect(plain.result).not.toHaveProperty('qrcodeUrl');
  });

  it('cashierAdd creates an init transaction that can then be paid', async () => {
    const reference = ref();
    const c = await cashierAdd({ storeAdminNo: 'A1', amount: '4.00', ...usd, reference, ipnUrl: 'https://pos.example.com/ipn' });
    expect(c.ret_code).toBe('000100');
    expect(c.result).toMatchObject({ reference, amount: '4.00', transactionStatus: 'init', storeAdminNo: 'A1' });
    const p = await pay({ reference, paymentBarcode: '280000000000000001', vendor: 'alipay' });
    expect(p.result.transactionStatus).toBe('success');
    // Without ipnUrl, as the Java and Python SDKs refuse to send it: a missing parameter.
    const bad = await cashierAdd({ amount: '4.00', ...usd, reference: ref() });
    expect(bad.ret_code).toBe('000020');
  });

  it('refund without refundReference (optional in the docs and SDKs) refunds, each call anew', async () => {
    const no = await paid('6.00');
    const r1 = await refund({ refundAmount: '1.00', ...usd, transactionNo: no });
    const r2 = await refund({ refundAmount: '1.00', ...usd, transactionNo: no });
    expect([r1.ret_code, r2.ret_code]).toEqual(['000100', '000100']);
    expect(r1.result.refundTransactionNo).not.toBe(r2.result.refundTransactionNo);
    expect(r1.result.refundReference).toBeNull();
    const q = await tranQuery({ transactionNo: no });
    expect(q.result.refundAmount).toBe('2.00');
  });
});
