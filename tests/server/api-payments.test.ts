// Payment flows end to end: the real app on a real port, the real Pockyt simulator over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { listPaymentEvents } from '../../server/store/events.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer(NO_IPN);
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });

describe('customer-presented payments against the Pockyt simulator', () => {
  it('succeeds at once for a code ending 0001', async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(1250), mode: 'cpm', code: alipayTestCode('0001') });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'succeeded', provider: 'pockyt', vendor: 'alipay', amount: usd(1250), needsAttention: false });
    expect(r.body.providerRef).toMatch(/\S+/);
    const txn = await kiosk.sim('GET', `/control/transactions/${r.body.providerRef}`);
    expect(txn.status).toBe(200);
    expect(txn.body.status).toBe('success');
    expect(txn.body.amount).toBe('12.50');
  });

  it('goes pending and then succeeded for 0002 (seen by GET)', async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(500), mode: 'cpm', code: alipayTestCode('0002') });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('pending');
    const done = await kiosk.waitFor(r.body.id, (p) => p.status !== 'pending');
    expect(done.status).toBe('succeeded');
  });

  it('ends failed with the decline reason for 0003', async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(700), mode: 'cpm', code: alipayTestCode('0003') });
    expect(r.status).toBe(201);
    const done = r.body.status === 'failed' ? r.body : await kiosk.waitFor(r.body.id, (p) => p.status !== 'pending');
    expect(done.status).toBe('failed');
    expect(done.failure?.message).toMatch(/\S/);
  });

  it('records unknown when prepay outlives the client timeout (0005) and resolves it by query', async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(900), mode: 'cpm', code: alipayTestCode('0005') });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('unknown');
    expect(r.body.providerRef).toMatch(/\S+/);
    const done = await kiosk.waitFor(r.body.id, (p) => p.status !== 'unknown' && p.status !== 'pending');
    expect(done.status).toBe('succeeded');
    const events = await listPaymentEvents(server.app.kiosk.db, r.body.id);
    expect(events.filter((e) => e.applied).map((e) => [e.source, e.to])).toEqual([
      ['create', 'created'],
      ['sync', 'unknown'],
      ['poll', 'succeeded'],
    ]);
    expect(server.simCalls.some((c) => c.includes('tran-query'))).toBe(true);
  });

  it('cancels a pending payment at the provider', async () => {
    const code = await kiosk.walletCode('wechatpay');
    const r = await kiosk.pay({ orderId: order(), amount: usd(1999), mode: 'cpm', code });
    expect(r.body.status).toBe('pending');
    expect(r.body.vendor).toBe('wechatpay');
    const c = await kiosk.cancel(r.body.id);
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    const txn = await kiosk.sim('GET', `/control/transactions/${r.body.providerRef}`);
    expect(txn.body.status).toBe('closed');
    const again = await kiosk.cancel(r.body.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'payment_not_open', details: { status: 'cancelled' } });
  });

  it('marks paid when the customer approves a wallet-issued code', async () => {
    const code = await kiosk.walletCode('alipay');
    const r = await kiosk.pay({ orderId: order(), amount: usd(350), mode: 'cpm', code });
    expect(r.body.status).toBe('pending');
    const info = await kiosk.sim('GET', `/control/codes/${code}`);
    expect(info.body.state).toBe('used');
    const ok = await kiosk.sim('POST', `/control/transactions/${info.body.transaction.transactionNo}/approve`);
    expect(ok.status).toBe(200);
    const done = await kiosk.waitFor(r.body.id, (p) => p.status !== 'pending');
    expect(done.status).toBe('succeeded');
  });

  it('replays the same payment for the same key and body, with one provider add', async () => {
    const key = `key-${Date.now()}`;
    const body = { orderId: order(), amount: usd(420), mode: 'cpm', code: alipayTestCode('0001') };
    const before = server.simCalls.filter((c) => c.includes('/add')).length;
    const first = await kiosk.pay(body, key);
    const second = await kiosk.pay({ code: body.code, mode: 'cpm', amount: body.amount, orderId: body.orderId }, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.status).toBe('succeeded');
    expect(server.simCalls.filter((c) => c.includes('/add')).length - before).toBe(1);
  });

  it('refuses the same key with another body (409) and changes nothing', async () => {
    const key = `key-${Date.now()}-b`;
    const o = order();
    const first = await kiosk.pay({ orderId: o, amount: usd(100), mode: 'cpm', code: alipayTestCode('0001') }, key);
    expect(first.status).toBe(201);
    const n = await server.countPayments();
    const conflict = await kiosk.pay({ orderId: o, amount: usd(101), mode: 'cpm', code: alipayTestCode('0001') }, key);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('idempotency_conflict');
    expect(await server.countPayments()).toBe(n);
  });

  it('keeps one open payment per order and refuses to charge a paid order again', async () => {
    const o = order();
    const code = await kiosk.walletCode('alipay');
    const open = await kiosk.pay({ orderId: o, amount: usd(800), mode: 'cpm', code });
    expect(open.body.status).toBe('pending');
    const second = await kiosk.pay({ orderId: o, amount: usd(800), mode: 'cpm', code: alipayTestCode('0001') });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('order_has_open_payment');
    await kiosk.sim('POST', `/control/transactions/${open.body.providerRef}/decline`);
    await kiosk.waitFor(open.body.id, (p) => p.status === 'failed');
    const retry = await kiosk.pay({ orderId: o, amount: usd(800), mode: 'cpm', code: alipayTestCode('0001') });
    expect(retry.status).toBe(201);
    expect(retry.body.status).toBe('succeeded');
    const third = await kiosk.pay({ orderId: o, amount: usd(800), mode: 'cpm', code: alipayTestCode('0001') });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('order_already_paid');
    const list = await kiosk.request('GET', `/api/payments?orderId=${encodeURIComponent(o)}`);
    expect(list.body.payments.map((p: any) => p.status)).toEqual(['failed', 'succeeded']);
  });

  it('reports a used wallet code as a decline with a reason', async () => {
    const code = await kiosk.walletCode('alipay');
    const first = await kiosk.pay({ orderId: order(), amount: usd(200), mode: 'cpm', code });
    expect(first.body.status).toBe('pending');
    const reuse = await kiosk.pay({ orderId: order(), amount: usd(200), mode: 'cpm', code });
    expect(reuse.status).toBe(201);
    expect(reuse.body.status).toBe('failed');
    expect(reuse.body.failure?.message).toMatch(/used/i);
  });

  it("hides other terminals' payments", async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(150), mode: 'cpm', code: alipayTestCode('0001') });
    const { pair } = await import('./helpers/app.ts');
    const other = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code);
    const otherKiosk = new Kiosk(server.baseUrl, other.token);
    const g = await otherKiosk.get(r.body.id);
    expect(g.status).toBe(404);
    expect(g.body.error.code).toBe('not_found');
    const c = await otherKiosk.cancel(r.body.id);
    expect(c.status).toBe(404);
  });
});
