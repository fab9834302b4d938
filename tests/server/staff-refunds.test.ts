// Refunds (issue 4): child rows with their own status, the payment's partially_refunded/refunded from the sum
// of succeeded refunds, amount ≤ what is left, Idempotency-Key replay, and a refund whose answer is lost —
// all against the real Pockyt simulator, whose ledger is the judge of how much money went back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPaymentEvents } from '../../server/store/events.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { refund, voidPayment, waitForRefund } from './helpers/staff.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer(NO_IPN);
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });

async function paid(value: number) {
  const r = await kiosk.pay({ orderId: order(), amount: usd(value), mode: 'cpm', code: alipayTestCode('0001') });
  expect(r.body.status).toBe('succeeded');
  return r.body;
}

async function simRefunds(providerRef: string): Promise<{ refundReference: string; refundAmount: string }[]> {
  return (await kiosk.sim('GET', `/control/transactions/${providerRef}`)).body.refunds;
}

describe('refunds at Pockyt', () => {
  it('two partial refunds: partially_refunded, then refunded, each one refund at Pockyt', async () => {
    const p = await paid(5000);
    const a = await refund(kiosk, p.id, 1500, 'USD');
    expect(a.status).toBe(201);
    expect(a.body.refund).toMatchObject({ paymentId: p.id, amount: usd(1500), status: 'succeeded' });
    expect(a.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: usd(1500) });
    const b = await refund(kiosk, p.id, 3500, 'USD');
    expect(b.body.payment).toMatchObject({ status: 'refunded', refundedAmount: usd(5000) });
    expect((await simRefunds(p.providerRef!)).map((r) => r.refundAmount)).toEqual(['15.00', '35.00']);
    const applied = (await listPaymentEvents(server.app.kiosk.db, p.id)).filter((e) => e.applied).map((e) => `${e.from}>${e.to}`);
    expect(applied).toEqual(['null>created', 'created>succeeded', 'succeeded>partially_refunded', 'partially_refunded>refunded']);
    const list = await kiosk.request('GET', `/api/payments/${p.id}/refunds`);
    expect(list.body.refunds.map((r: any) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('refuses more than is left (also counting a refund in progress), and sends nothing', async () => {
    const p = await paid(2000);
    expect((await refund(kiosk, p.id, 1200, 'USD')).status).toBe(201);
    const over = await refund(kiosk, p.id, 801, 'USD');
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'refund_exceeds_remaining', details: { remaining: usd(800) } });
    const wrongCurrency = await refund(kiosk, p.id, 100, 'NZD');
    expect(wrongCurrency.status).toBe(400);
    const zero = await refund(kiosk, p.id, 0, 'USD');
    expect(zero.status).toBe(400);
    expect(await simRefunds(p.providerRef!)).toHaveLength(1);
    expect((await kiosk.get(p.id)).body).toMatchObject({ status: 'partially_refunded', refundedAmount: usd(1200) });
  });

  it('concurrent refunds of one payment cannot both fit the same remainder', async () => {
    const p = await paid(1000);
    const results = await Promise.all([600, 600, 600].map((v) => refund(kiosk, p.id, v, 'USD')));
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422]);
    expect(await simRefunds(p.providerRef!)).toHaveLength(1);
  });

  it('replays the same Idempotency-Key: same refund, no second refund at Pockyt; another amount is 409', async () => {
    const p = await paid(3000);
    const key = randomUUID();
    const first = await refund(kiosk, p.id, 1000, 'USD', { key });
    const again = await refund(kiosk, p.id, 1000, 'USD', { key });
    expect(again.status).toBe(200);
    expect(again.body.refund.id).toBe(first.body.refund.id);
    const conflict = await refund(kiosk, p.id, 999, 'USD', { key });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('idempotency_conflict');
    expect(await simRefunds(p.providerRef!)).toHaveLength(1);
    expect((await kiosk.get(p.id)).body.refundedAmount).toEqual(usd(1000));
  });

  it('a refund whose answer is lost is `unknown`, then re-sent under the same reference: one refund at Pockyt', async () => {
    const p = await paid(2500);
    await kiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/refund', kind: 'drop', phase: 'after' });
    const r = await refund(kiosk, p.id, 2000, 'USD');
    expect(r.status).toBe(201);
    expect(r.body.refund.status).toBe('unknown');
    expect(r.body.payment.status).toBe('succeeded');
    // Counted against the remainder whether still unknown or already settled by the resend: 500 left.
    const over = await refund(kiosk, p.id, 501, 'USD');
    expect(over.status).toBe(422);
    expect(over.body.error.details.remaining).toEqual(usd(500));
    const done = await waitForRefund(kiosk, p.id, r.body.refund.id);
    expect(done.status).toBe('succeeded');
    expect((await kiosk.get(p.id)).body).toMatchObject({ status: 'partially_refunded', refundedAmount: usd(2000) });
    expect(await simRefunds(p.providerRef!)).toHaveLength(1);
  });

  it('a 5xx on the refund is unknown and settled by the resend; an unpaid payment cannot be refunded', async () => {
    const p = await paid(900);
    await kiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/refund', kind: 'http500', phase: 'before' });
    const r = await refund(kiosk, p.id, 900, 'USD');
    // A 5xx may have been processed: unknown, then settled by the resend.
    expect(r.body.refund.status).toBe('unknown');
    expect((await waitForRefund(kiosk, p.id, r.body.refund.id)).status).toBe('succeeded');
    const unpaid = await kiosk.pay({ orderId: order(), amount: usd(900), mode: 'cpm', code: alipayTestCode('0003') });
    const failedPayment = await kiosk.waitFor(unpaid.body.id, (x) => x.status === 'failed');
    const notPaid = await refund(kiosk, failedPayment.id, 100, 'USD');
    expect(notPaid.status).toBe(409);
    expect(notPaid.body.error.code).toBe('payment_not_refundable');
  });

  it('a void after a partial refund is refused (refund the rest instead)', async () => {
    const p = await paid(1800);
    await refund(kiosk, p.id, 800, 'USD');
    const v = await voidPayment(kiosk, p.id);
    expect(v.status).toBe(409);
    expect(v.body.error.code).toBe('void_not_allowed');
    expect((await simRefunds(p.providerRef!)).map((r) => r.refundAmount)).toEqual(['8.00']);
  });
});
