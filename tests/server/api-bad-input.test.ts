// Bad input gets a clear error code and changes nothing: after every rejected request the payments table
// has exactly as many rows as before, and the simulator saw no call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { withLuhnDigit } from '../../src/shared/classify.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer({ ...NO_IPN, MAX_AMOUNT_MINOR: '100000' });
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const good = () => ({ orderId: order(), amount: { value: 1000, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });

async function expectRejected(send: () => Promise<{ status: number; body: any }>, status: number, code: string) {
  const rows = await server.countPayments();
  const calls = server.simCalls.length;
  const r = await send();
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body?.error?.code).toBe(code);
  expect(typeof r.body.error.message).toBe('string');
  expect(await server.countPayments()).toBe(rows);
  expect(server.simCalls.length).toBe(calls);
  return r.body.error;
}

describe('payment request validation', () => {
  const amounts: [string, unknown, string][] = [
    ['zero', 0, 'invalid_amount'],
    ['negative', -100, 'invalid_amount'],
    ['fractional minor units', 1.5, 'invalid_amount'],
    ['a string', '12', 'invalid_amount'],
    ['over the configured maximum', 100_001, 'amount_too_large'],
    ['unsafe integer', 2 ** 60, 'amount_too_large'],
  ];
  for (const [name, value, code] of amounts) {
    it(`rejects an amount that is ${name}`, async () => {
      await expectRejected(() => kiosk.pay({ ...good(), amount: { value, currency: 'USD' } }), 400, code);
    });
  }

  it('accepts the configured maximum itself', async () => {
    const r = await kiosk.pay({ ...good(), amount: { value: 100_000, currency: 'USD' } });
    expect(r.status).toBe(201);
  });

  it('rejects a currency the store does not take, and a malformed one', async () => {
    await expectRejected(() => kiosk.pay({ ...good(), amount: { value: 1000, currency: 'EUR' } }), 400, 'unsupported_currency');
    await expectRejected(() => kiosk.pay({ ...good(), amount: { value: 1000, currency: 'usd' } }), 400, 'invalid_currency');
    await expectRejected(() => kiosk.pay({ ...good(), amount: 1000 }), 400, 'invalid_amount');
  });

  it('requires an Idempotency-Key', async () => {
    await expectRejected(() => kiosk.pay(good(), null), 400, 'idempotency_key_required');
    await expectRejected(() => kiosk.pay(good(), 'x'.repeat(256)), 400, 'invalid_idempotency_key');
  });

  it('requires an order id, a mode and a code', async () => {
    const { orderId: _o, ...noOrder } = good();
    await expectRejected(() => kiosk.pay(noOrder), 400, 'invalid_order_id');
    await expectRejected(() => kiosk.pay({ ...good(), mode: 'card' }), 400, 'invalid_mode');
    const { code: _c, ...noCode } = good();
    await expectRejected(() => kiosk.pay(noCode), 400, 'code_required');
    await expectRejected(() => kiosk.pay([good()]), 400, 'invalid_request');
  });

  it('refuses an unclassifiable code naming the accepted wallets', async () => {
    const err = await expectRejected(() => kiosk.pay({ ...good(), code: '1234' }), 422, 'unrecognised_code');
    expect(err.message).toContain('Alipay');
    expect(err.message).toContain('WeChat Pay');
    expect(err.details.accepted).toEqual(['alipay', 'wechatpay']);
  });

  it('refuses a URL and an EMVCo merchant QR as payment codes', async () => {
    const url = await expectRejected(() => kiosk.pay({ ...good(), code: 'https://qr.alipay.com/abc123' }), 422, 'unrecognised_code');
    expect(url.details.reason).toBe('not_a_payment_code');
    expect(url.message).toMatch(/link/i);
    const emv = await expectRejected(
      () => kiosk.pay({ ...good(), code: '00020101021226370016A000000677010111' }),
      422,
      'unrecognised_code',
    );
    expect(emv.details.reason).toBe('not_a_payment_code');
  });

  it('refuses a wallet the store does not route (UnionPay, Centrapay)', async () => {
    const err = await expectRejected(() => kiosk.pay({ ...good(), code: '6212345678901234567' }), 422, 'vendor_not_accepted');
    expect(err.message).toMatch(/UnionPay is not accepted/);
    expect(err.message).toContain('Alipay');
    const centrapay = withLuhnDigit('282828000000000');
    const err2 = await expectRejected(() => kiosk.pay({ ...good(), code: centrapay }), 422, 'vendor_not_accepted');
    expect(err2.details.vendor).toBe('centrapay');
  });

  it('needs a wallet choice for merchant-presented mode, and one the store takes', async () => {
    const mpm = { orderId: order(), amount: { value: 1000, currency: 'USD' }, mode: 'mpm' };
    await expectRejected(() => kiosk.pay(mpm), 400, 'vendor_required');
    await expectRejected(() => kiosk.pay({ ...mpm, vendor: 'payby' }), 422, 'vendor_not_accepted');
    await expectRejected(() => kiosk.pay({ ...mpm, vendor: 'bitcoin' }), 400, 'invalid_vendor');
  });

  it('refuses a code of one wallet announced as another', async () => {
    const err = await expectRejected(() => kiosk.pay({ ...good(), vendor: 'wechatpay' }), 422, 'vendor_mismatch');
    expect(err.message).toBe('This is an Alipay code, not WeChat Pay.');
  });
});

describe('HTTP hygiene', () => {
  it('answers 413 JSON for a body over 64 KB', async () => {
    await expectRejected(
      () =>
        kiosk.request('POST', '/api/payments', {
          rawBody: JSON.stringify({ ...good(), pad: 'x'.repeat(70_000) }),
          headers: { 'idempotency-key': 'big' },
        }),
      413,
      'body_too_large',
    );
  });

  it('answers 400 invalid_json for a broken body', async () => {
    await expectRejected(
      () => kiosk.request('POST', '/api/payments', { rawBody: '{"orderId":', headers: { 'idempotency-key': 'broken' } }),
      400,
      'invalid_json',
    );
  });

  it('answers 415 for a non-JSON body', async () => {
    await expectRejected(
      () =>
        kiosk.request('POST', '/api/payments', {
          rawBody: 'orderId=1',
          headers: { 'content-type': 'application/xml', 'idempotency-key': 'text' },
        }),
      415,
      'unsupported_media_type',
    );
  });

  it('answers 404 JSON for an unknown route, with or without a token', async () => {
    await expectRejected(() => kiosk.request('GET', '/api/nope'), 404, 'not_found');
    await expectRejected(() => kiosk.request('DELETE', '/api/payments', { auth: false }), 404, 'not_found');
    const page = await kiosk.request('GET', '/definitely/not/here', { auth: false, headers: { accept: 'application/json' } });
    expect(page.status).toBe(404);
    expect(page.body.error.code).toBe('not_found');
  });

  it('answers 401 without a token, with a wrong one and with a revoked one', async () => {
    await expectRejected(
      () => kiosk.request('POST', '/api/payments', { body: good(), auth: false, headers: { 'idempotency-key': 'a1' } }),
      401,
      'unauthorized',
    );
    const wrong = new Kiosk(server.baseUrl, 'A'.repeat(43));
    await expectRejected(() => wrong.pay(good()), 401, 'unauthorized');
    await expectRejected(
      () => kiosk.request('GET', '/api/terminal', { auth: false, headers: { authorization: 'Basic Zm9vOmJhcg==' } }),
      401,
      'unauthorized',
    );
    const { pair } = await import('./helpers/app.ts');
    const { revokeTerminal } = await import('../../server/store/terminals.ts');
    const other = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code);
    const otherKiosk = new Kiosk(server.baseUrl, other.token);
    expect((await otherKiosk.request('GET', '/api/terminal')).status).toBe(200);
    expect(await revokeTerminal(server.app.kiosk.db, other.terminalId)).toBe(true);
    await expectRejected(() => otherKiosk.request('GET', '/api/terminal'), 401, 'unauthorized');
  });

  it('never leaks internals on a 404 payment id', async () => {
    const r = await kiosk.get("pay_' OR 1=1 --");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: 'not_found', message: 'No such payment.' } });
  });

  it('sends security headers and no-store on API answers', async () => {
    const r = await kiosk.request('GET', '/api/terminal');
    expect(r.headers.get('content-security-policy')).toContain("'wasm-unsafe-eval'");
    expect(r.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});
