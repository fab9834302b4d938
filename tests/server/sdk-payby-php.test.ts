// PayBy's official PHP SDK against the simulator, request for request. PHP is not available here, so this
// file rebuilds exactly what the SDK puts on the wire, from github.com/PayBy/PayBy-php @ b46e608 (v1.0.1):
// - lib/Api/ApiRequestor.php buildPayByPubRequest(): `{requestTime: date(DATE_RFC3339_EXTENDED), partnerId,
//   bizContent}`; _curlRequest(): body = json_encode(params) (PHP escapes "/" as "\/" and non-ASCII as
//   \uXXXX), header `sign` = base64(openssl_sign(body, key, SHA256)); _requestRaw(): headers Partner-Id,
//   Content-Language: en, Content-type: application/json;charset=UTF-8, User-Agent, X-PayBy-Client-User-Agent.
// - lib/Api/ApiResource.php classUrl(): "/acquire2" + path + "/" + method name; lib/Api/{Order,Refund}.php.
// - example/order/order.php and README.md: amounts as decimal strings (`'amount' => '0.3'`).
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBody } from '../../server/providers/payby/signing.ts';
import { startPayBySimulator, type RunningPayBySimulator } from '../../sandbox/payby/standalone.ts';

let sim: RunningPayBySimulator;
let seq = 0;
const MIN = 60_000;

/** PHP date(DATE_RFC3339_EXTENDED) = "Y-m-d\TH:i:s.vP", here in a +04:00 (Dubai) server timezone. */
function rfc3339Extended(ms: number, offsetMin = 240): string {
  const local = new Date(ms + offsetMin * MIN).toISOString().slice(0, 23);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** PHP json_encode defaults: "/" escaped, non-ASCII as \uXXXX (UTF-16 units). */
function phpJsonEncode(v: unknown): string {
  return JSON.stringify(v)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Answer = { head: { applyStatus: string; code: string; msg: string }; body?: Record<string, any> };

/** One SDK call: Order::placeOrder($params) etc. `requestTime` overridable to test the window. */
async function php(resource: '' | '/refund', method: string, params: Record<string, unknown>, requestTime = rfc3339Extended(Date.now())) {
  const body = phpJsonEncode({ requestTime, partnerId: sim.partnerId, bizContent: params });
  const sign = createSign('sha256').update(body).sign(sim.merchantPrivateKeyPem, 'base64');
  const res = await fetch(`${sim.baseUrl}/acquire2${resource}/${method}`, {
    method: 'POST',
    headers: {
      'X-PayBy-Client-User-Agent': JSON.stringify({ bindings_version: '1.0.1', lang: 'php', publisher: 'payby' }),
      'User-Agent': 'PayBy/v1 PhpBindings/1.0.1',
      'Content-Language': 'en',
      'Partner-Id': sim.partnerId,
      'Content-type': 'application/json;charset=UTF-8',
      sign,
    },
    body,
  });
  const text = await res.text();
  const signed = res.headers.get('sign');
  return { http: res.status, json: JSON.parse(text) as Answer, verified: verifyBody(text, signed ?? undefined, sim.platformPublicKeyPem) };
}
const ref = () => `PHPSDK-${Date.now()}-${++seq}`;

beforeAll(async () => {
  sim = await startPayBySimulator({ pendingMs: 200, refundCompleteMs: 200 });
});
afterAll(() => sim.close());

describe('PayBy PHP SDK envelope: RFC 3339 requestTime, string amounts, partnerId in the body', () => {
  it('Order::placeOrder — the README/example DYNQR order (amount "0.3", escaped URL, accessoryContent)', async () => {
    const merchantOrderNo = ref();
    const r = await php('', 'placeOrder', {
      merchantOrderNo,
      subject: 'iPhone',
      totalAmount: { currency: 'AED', amount: '0.3' },
      paySceneCode: 'DYNQR',
      notifyUrl: 'http://yoursite.com/api/notification',
      accessoryContent: {
        amountDetail: { vatAmount: { currency: 'AED', amount: '0.3' } },
        goodsDetail: { body: 'Gifts', goodsName: 'candy flower — é', goodsId: 'GI1005' },
        terminalDetail: { merchantName: 'candy home' },
      },
    });
    expect(r.http).toBe(200);
    expect(r.json.head).toMatchObject({ applyStatus: 'SUCCESS', code: '0' });
    expect(r.verified).toBe(true);
    const o = r.json.body!.acquireOrder;
    // PayBy answers with its own Money form (a JSON number), whatever spelling came in.
    expect(o).toMatchObject({ merchantOrderNo, status: 'CREATED', totalAmount: { currency: 'AED', amount: 0.3 } });
    expect(o.notifyUrl).toBe('http://yoursite.com/api/notification');
    // Echoed as the docs' response example shows it, Money in PayBy's number form.
    expect(o.accessoryContent).toEqual({
      amountDetail: { vatAmount: { currency: 'AED', amount: 0.3 } },
      goodsDetail: { body: 'Gifts', goodsName: 'candy flower — é', goodsId: 'GI1005' },
      terminalDetail: { merchantName: 'candy home' },
    });
    expect(r.json.body!.interActionParams.tokenUrl).toMatch(/\/pay\/[\w-]{22}$/);
    // The RFC 3339 time is kept as PayBy keeps every requestTime: epoch milliseconds.
    expect(Math.abs(o.requestTime - Date.now())).toBeLessThan(5000);
  });

  it('QRPAY paid at once, then Order::getOrder, Refund::placeOrder (string amount) and Refund::getOrder', async () => {
    const merchantOrderNo = ref();
    const placed = await php('', 'placeOrder', {
      merchantOrderNo,
      subject: 'Kiosk sale',
      totalAmount: { currency: 'AED', amount: '12.30' },
      paySceneCode: 'QRPAY',
      paySceneParams: { authCode: 'OK0000000001' },
    });
    expect(placed.json.body!.acquireOrder).toMatchObject({ status: 'PAID_SUCCESS', totalAmount: { amount: 12.3 } });
    // Same order again with the amount spelt as a number: the same parameters, so the same order (not 62016).
    const again = await php('', 'placeOrder', {
      merchantOrderNo,
      subject: 'Kiosk sale',
      totalAmount: { currency: 'AED', amount: '12.3' },
      paySceneCode: 'QRPAY',
      paySceneParams: { authCode: 'OK0000000001' },
    });
    expect(again.json.head.code).toBe('0');
    expect(again.json.body!.acquireOrder.orderNo).toBe(placed.json.body!.acquireOrder.orderNo);
    const got = await php('', 'getOrder', { merchantOrderNo });
    expect(got.json.body!.acquireOrder.status).toBe('PAID_SUCCESS');

    const refundMerchantOrderNo = ref();
    const refund = await php('/refund', 'placeOrder', {
      refundMerchantOrderNo,
      originMerchantOrderNo: merchantOrderNo,
      amount: { currency: 'AED', amount: '5.00' },
      reason: 'changed mind',
    });
    expect(refund.json.head.code).toBe('0');
    expect(refund.json.body).toMatchObject({
      refundOrder: { refundMerchantOrderNo, amount: { currency: 'AED', amount: 5 } },
      refundSummary: { remainRefundAmount: { amount: 7.3 } },
    });
    const q = await php('/refund', 'getOrder', { refundMerchantOrderNo });
    expect(q.json.body!.refundOrder.refundMerchantOrderNo).toBe(refundMerchantOrderNo);
  });

  it('Order::cancelOrder of an unpaid order', async () => {
    const merchantOrderNo = ref();
    await php('', 'placeOrder', {
      merchantOrderNo,
      subject: 'Kiosk',
      totalAmount: { currency: 'AED', amount: '1' },
      paySceneCode: 'DYNQR',
    });
    const c = await php('', 'cancelOrder', { merchantOrderNo });
    expect(c.json.head.code).toBe('0');
    expect(c.json.body!.acquireOrder.status).toBe('FAILURE');
  });

  it('still enforces the ±15 min window on an RFC 3339 requestTime, whatever its offset', async () => {
    const biz = () => ({
      merchantOrderNo: ref(),
      subject: 'Kiosk',
      totalAmount: { currency: 'AED', amount: '1.00' },
      paySceneCode: 'DYNQR',
    });
    const early = await php('', 'placeOrder', biz(), rfc3339Extended(Date.now() - 16 * MIN, -300));
    expect(early.json.head).toMatchObject({ code: '400', msg: 'REQUESTTIME_TOO_EARLY' });
    const late = await php('', 'placeOrder', biz(), rfc3339Extended(Date.now() + 16 * MIN, 0).replace('+00:00', 'Z'));
    expect(late.json.head).toMatchObject({ code: '400', msg: 'REQUESTTIME_TOO_LATER' });
    // Now, written with a far-away offset: still now.
    const now = await php('', 'placeOrder', biz(), rfc3339Extended(Date.now(), 13 * 60));
    expect(now.json.head.code).toBe('0');
    for (const bad of ['2026-12-05 02:10:00', 'yesterday', '2026-12-05T02:10:00']) {
      expect((await php('', 'placeOrder', biz(), bad)).json.head.code).toBe('400');
    }
  });
});
