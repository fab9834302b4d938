// The Pockyt simulator's protocol, raw over HTTP: a bare Fastify with the plugin on 127.0.0.1:0, requests
// signed with our signing code (or deliberately not).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPockytCall } from '../../sandbox/pockyt/client.ts';
import { DEMO_CREDENTIALS, startPockytSimulator, type RunningSimulator } from '../../sandbox/pockyt/standalone.ts';
import { signFields } from '../../server/providers/pockyt/signing.ts';

const { merchantNo, storeNo, token } = DEMO_CREDENTIALS;
let sim: RunningSimulator;
let seq = 0;

// The simulator's clock is compressed, but not so far that a loaded machine's round trip (hundreds of ms at
// worst) can outrun a window: each check below is made well inside one, and each change is awaited, not slept on.
const PENDING_MS = 1_000;
const SLOW_MS = 1_000;
const MINUTE_MS = 500;
beforeAll(async () => {
  sim = await startPockytSimulator({ pendingMs: PENDING_MS, slowMs: SLOW_MS, minuteMs: MINUTE_MS });
});
afterAll(() => sim.close());

const call = (
  path: string,
  fields: Record<string, string | undefined>,
  opts: { form?: boolean; sign?: boolean; requestId?: string; token?: string } = {},
) => rawPockytCall(sim.baseUrl, path, { merchantNo, storeNo, ...fields }, { token: opts.token ?? token, ...opts });
const ref = () => `T-${Date.now()}-${++seq}`;
const add = (extra: Record<string, string> = {}) =>
  call('/app-instore/v3/add', { amount: '12.50', currency: 'USD', settleCurrency: 'USD', reference: ref(), ...extra });
const query = (transactionNo: string) => call('/app-data-search/v3/tran-query', { transactionNo });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Queries until the transaction leaves `from`; returns the status it moved to and when it was seen. */
async function statusAfter(transactionNo: string, from: string, withinMs = 10_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const status = (await query(transactionNo)).body.result!.status as string;
    if (status !== from || Date.now() > deadline) return { status, seenAt: Date.now() };
    await sleep(25);
  }
}

describe('envelope and authentication', () => {
  it('add creates an init transaction with the §6.1 fields and UTC+8 times', async () => {
    const before = Date.now();
    const r = await add({ amount: '13' });
    expect(r.status).toBe(200);
    expect(r.body.ret_code).toBe('000100');
    expect(r.body.ret_msg).toBe('add success');
    const t = r.body.result!;
    expect(t).toMatchObject({
      amount: '13.00',
      currency: 'USD',
      settleCurrency: 'USD',
      transactionStatus: 'init',
      transactionType: 'payment',
      merchantNo,
      storeNo,
      paymentTime: null,
      refundAmount: '0.00',
      voidAmount: '0.00',
      originalTransactionNo: null,
    });
    expect(t.transactionNo).toMatch(/^\d{18}$/);
    expect(t.createTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const asUtc = Date.parse(t.createTime.replace(' ', 'T') + 'Z') - 8 * 3600_000;
    expect(Math.abs(asUtc - before)).toBeLessThan(5000);
  });

  it('refuses a bad verifySign, a wrong token and a foreign merchant with 000030, changing nothing', async () => {
    const reference = ref();
    const fields = { amount: '1.00', currency: 'USD', settleCurrency: 'USD', reference };
    const tampered = { ...signFields({ merchantNo, storeNo, ...fields }, token), amount: '100.00' };
    const r1 = await call('/app-instore/v3/add', tampered, { sign: false });
    expect(r1.status).toBe(200);
    expect(r1.body.ret_code).toBe('000030');
    expect(r1.body.result).toBeUndefined();
    expect((await call('/app-instore/v3/add', fields, { token: 'not-the-token' })).body.ret_code).toBe('000030');
    expect((await call('/app-instore/v3/add', { ...fields, merchantNo: '999999' })).body.ret_code).toBe('000030');
    expect((await call('/app-instore/v3/add', { ...fields }, { sign: false })).body.ret_code).toBe('000020');
    expect((await call('/app-data-search/v3/tran-query', { reference })).body.ret_code).toBe('000021');
  });

  it('accepts form bodies and the /pay and /reverse aliases', async () => {
    const r = await call(
      '/app-instore/v3/add',
      { amount: '2.00', currency: 'USD', settleCurrency: 'USD', reference: ref(), note: 'a b&c=d' },
      { form: true },
    );
    expect(r.body.ret_code).toBe('000100');
    const no = r.body.result!.transactionNo;
    const paid = await call(
      '/app-instore/v3/pay',
      { transactionNo: no, paymentBarcode: '286521182446650001', vendor: 'alipay' },
      { form: true },
    );
    expect(paid.body.result).toMatchObject({ transactionStatus: 'success', vendor: 'alipay' });
    const rev = await call('/app-data-search/v3/reverse', { transactionNo: no }, { form: true });
    expect(rev.body).toMatchObject({ ret_code: '000100', result: { status: 'success', refundAmount: '2.00' } });
  });

  it('answers malformed bodies with a Pockyt error, never a 500', async () => {
    for (const [type, body] of [
      ['application/json', '{"amount":'],
      ['application/json', '[1,2]'],
      ['text/plain', 'amount=1'],
      ['application/xml', '<a/>'],
      ['application/json', '{"a":{"b":1}}'],
    ]) {
      const res = await fetch(`${sim.baseUrl}/app-instore/v3/add`, { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status, `${type} ${body}`).toBe(200);
      expect((await res.json()).ret_code).toBe('000020');
    }
  });
});

describe('validation', () => {
  it('missing required → 000020, both ids → 000022, unknown id → 000021', async () => {
    expect((await call('/app-instore/v3/add', { currency: 'USD', settleCurrency: 'USD', reference: ref() })).body).toMatchObject({
      ret_code: '000020',
      ret_msg: expect.stringContaining('amount'),
    });
    const no = (await add()).body.result!.transactionNo;
    expect((await call('/app-instore/v3/prepay', { transactionNo: no })).body.ret_code).toBe('000020');
    expect((await call('/app-instore/v3/prepay', { paymentBarcode: '286521182446650001' })).body.ret_code).toBe('000020');
    expect(
      (await call('/app-instore/v3/prepay', { transactionNo: no, reference: 'x', paymentBarcode: '286521182446650001' })).body.ret_code,
    ).toBe('000022');
    expect((await call('/app-data-search/v3/tran-query', { transactionNo: no, reference: 'x' })).body.ret_code).toBe('000022');
    expect((await call('/app-data-search/v3/tran-query', {})).body.ret_code).toBe('000020');
    for (const p of ['/app-data-search/v3/tran-query', '/app-data-search/v3/cancel']) {
      expect((await call(p, { transactionNo: '300000000000000000' })).body.ret_code).toBe('000021');
    }
    expect((await call('/app-instore/v3/prepay', { reference: 'nope', paymentBarcode: '286521182446650001' })).body.ret_code).toBe(
      '000021',
    );
    expect((await query(no)).body.result!.status).toBe('init');
  });

  it('rejects a duplicate reference, bad amounts and currencies', async () => {
    const reference = ref();
    expect((await add({ reference })).body.ret_code).toBe('000100');
    expect((await add({ reference })).body).toMatchObject({ ret_code: '000022', ret_msg: expect.stringContaining('duplicate reference') });
    for (const amount of ['12.001', '0', '0.00', '-1', 'abc', '1e3']) expect((await add({ amount })).body.ret_code, amount).toBe('000023');
    expect((await add({ currency: 'EUR' })).body.ret_code).toBe('000023');
    expect((await add({ timeout: '0' })).body.ret_code).toBe('000023');
    expect((await add({ ipnUrl: 'ftp://x' })).body.ret_code).toBe('000023');
  });

  it('refuses a second prepay, foreign codes and a vendor mismatch', async () => {
    const no = (await add()).body.result!.transactionNo;
    expect((await call('/app-instore/v3/prepay', { transactionNo: no, paymentBarcode: '6200000000000000001' })).body.ret_code).toBe(
      '000023',
    );
    expect(
      (await call('/app-instore/v3/prepay', { transactionNo: no, paymentBarcode: '286521182446650001', vendor: 'wechatpay' })).body
        .ret_code,
    ).toBe('000023');
    expect(
      (await call('/app-instore/v3/prepay', { transactionNo: no, paymentBarcode: '286521182446650001' })).body.result!.transactionStatus,
    ).toBe('success');
    expect((await call('/app-instore/v3/prepay', { transactionNo: no, paymentBarcode: '134521182446650001' })).body.ret_code).toBe(
      '000022',
    );
  });
});

describe('test codes and statuses', () => {
  const prepay = async (code: string) => {
    const no = (await add()).body.result!.transactionNo as string;
    return { no, r: await call('/app-instore/v3/prepay', { transactionNo: no, paymentBarcode: code }) };
  };

  it('0001 success, 0002 pending→success, 0003 pending→failed', async () => {
    const a = await prepay('134567890123450001');
    expect(a.r.body.result).toMatchObject({ transactionStatus: 'success', vendor: 'wechatpay' });
    expect(a.r.body.result!.paymentTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const bSent = Date.now();
    const b = await prepay('286521182446650002');
    const c = await prepay('286521182446650003');
    expect(b.r.body.result!.transactionStatus).toBe('pending');
    expect(c.r.body.result!.transactionStatus).toBe('pending');
    expect((await query(b.no)).body.result!.status).toBe('pending');
    const turned = await statusAfter(b.no, 'pending');
    expect(turned.status).toBe('success');
    expect(turned.seenAt - bSent).toBeGreaterThanOrEqual(PENDING_MS);
    const qb = (await query(b.no)).body;
    expect(qb.ret_msg?.trim()).toBe('query success');
    expect(qb.result).toMatchObject({ status: 'success', transactionType: 'payment', refundInfo: [] });
    expect(qb.result!.transactionStatus).toBeUndefined();
    expect((await statusAfter(c.no, 'pending')).status).toBe('failed');
  });

  it('0004 answers 000080 and the transaction ends failed', async () => {
    const d = await prepay('286521182446650004');
    expect(d.r.body.ret_code).toBe('000080');
    expect((await query(d.no)).body.result!.status).toBe('failed');
  });

  it('0005 commits at once but answers after slowMs', async () => {
    const no = (await add()).body.result!.transactionNo as string;
    const t0 = Date.now();
    let answeredAt = 0;
    const pending = call('/app-instore/v3/prepay', { transactionNo: no, paymentBarcode: '286521182446650005' }).then((r) => {
      answeredAt = Date.now();
      return r;
    });
    const committed = await statusAfter(no, 'init');
    expect(committed.status).toBe('success');
    expect(answeredAt).toBe(0);
    expect((await pending).body.result!.transactionStatus).toBe('success');
    expect(answeredAt - t0).toBeGreaterThanOrEqual(SLOW_MS - 10);
  });

  it('closes init and pending transactions when `timeout` minutes pass (minuteMs compressed)', async () => {
    const initAdded = Date.now();
    const init = (await add({ timeout: '1' })).body.result!.transactionNo;
    const pendAdded = Date.now();
    const pend = (await add({ timeout: '3' })).body.result!.transactionNo;
    await call('/app-instore/v3/prepay', { transactionNo: pend, paymentBarcode: '286521182446659999' });
    const initClosed = await statusAfter(init, 'init');
    expect(initClosed.status).toBe('closed');
    expect(initClosed.seenAt - initAdded).toBeGreaterThanOrEqual(MINUTE_MS);
    // Two simulated minutes before the pending one's third ends.
    expect((await query(pend)).body.result!.status).toBe('pending');
    const pendClosed = await statusAfter(pend, 'pending');
    expect(pendClosed.status).toBe('closed');
    expect(pendClosed.seenAt - pendAdded).toBeGreaterThanOrEqual(3 * MINUTE_MS);
    const late = await fetch(`${sim.baseUrl}/control/transactions/${pend}/approve`, { method: 'POST' });
    expect(late.status).toBe(409);
  });
});
