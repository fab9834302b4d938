// Refunds and voids on the Centrapay and PayBy simulators (Pockyt: staff-refunds.test.ts): the payment's
// refunded total and status follow the succeeded refunds, and each simulator's ledger shows exactly the money
// that went back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimLedgerEntry } from '../../sandbox/common/ledger.ts';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';
import { CENTRAPAY_FAST, PAYBY_FAST } from './helpers/providers.ts';
import { refund, voidPayment, waitForRefund } from './helpers/staff.ts';

let nz: TestServer;
let ae: TestServer;
let cp: Kiosk;
let pb: Kiosk;

beforeAll(async () => {
  [nz, ae] = await Promise.all([
    startServer({ ...CENTRAPAY_FAST, SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: 'none' }, { store: 'demo-nz' }),
    startServer({ ...PAYBY_FAST, SIM_PAYBY_NOTIFY_SCHEDULE_MS: 'none', SIM_PAYBY_REFUND_COMPLETE_MS: '200' }, { store: 'demo-ae' }),
  ]);
  cp = new Kiosk(nz.baseUrl, nz.token);
  pb = new Kiosk(ae.baseUrl, ae.token);
});
afterAll(async () => {
  await Promise.all([nz?.close(), ae?.close()]);
});

async function ledger(k: Kiosk, provider: 'centrapay' | 'payby', providerRef: string): Promise<SimLedgerEntry> {
  const r = await k.request('GET', `/sim/${provider}/control/ledger`, { auth: false });
  return r.body.items.find((e: SimLedgerEntry) => e.providerRef === providerRef);
}

describe('Centrapay', () => {
  const nzd = (value: number) => ({ value, currency: 'NZD' });
  const paid = async (value: number) => {
    const r = await cp.pay({ orderId: order(), amount: nzd(value), mode: 'cpm', code: testPatronCode('0001') });
    return cp.waitFor(r.body.id, (p) => p.status === 'succeeded', 4000);
  };

  it('partial then full refund; a replayed key is the same refund; the ledger shows the money back', async () => {
    const p = await paid(3000);
    const a = await refund(cp, p.id, 1000, 'NZD', { key: 'cp-refund-1' });
    expect(a.status).toBe(201);
    expect(a.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: nzd(1000) });
    const replay = await refund(cp, p.id, 1000, 'NZD', { key: 'cp-refund-1' });
    expect(replay.status).toBe(200);
    expect(replay.body.refund.id).toBe(a.body.refund.id);
    expect((await refund(cp, p.id, 2001, 'NZD')).status).toBe(422);
    const b = await refund(cp, p.id, 2000, 'NZD');
    expect(b.body.payment).toMatchObject({ status: 'refunded', refundedAmount: nzd(3000) });
    expect(await ledger(cp, 'centrapay', p.providerRef!)).toMatchObject({ captured: true, amountMinor: 3000, refundedMinor: 3000 });
  });

  it('void of a paid request refunds it in full: reversed', async () => {
    const p = await paid(1700);
    const v = await voidPayment(cp, p.id);
    expect(v.status).toBe(200);
    expect(v.body.status).toBe('reversed');
    expect(await ledger(cp, 'centrapay', p.providerRef!)).toMatchObject({ captured: true, refundedMinor: 1700 });
  });
});

describe('PayBy', () => {
  const aed = (value: number) => ({ value, currency: 'AED' });
  const paid = async (value: number) => {
    const r = await pb.pay({ orderId: order(), amount: aed(value), mode: 'cpm', code: 'OK0000000001' });
    expect(r.body.status).toBe('succeeded');
    return r.body;
  };
  const fault = (body: unknown) => pb.request('POST', '/sim/payby/control/faults', { body, auth: false });

  it('partial refund, then a refund PayBy rejects (failed, nothing moved), then the rest', async () => {
    const p = await paid(5000);
    const a = await refund(pb, p.id, 1500, 'AED');
    expect(a.body.refund.status).toBe('succeeded');
    expect(a.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: aed(1500) });
    expect((await fault({ path: '/acquire2/refund/placeOrder', kind: 'code', code: '62045' })).status).toBe(200);
    const rejected = await refund(pb, p.id, 3500, 'AED');
    expect(rejected.body.refund).toMatchObject({ status: 'failed', failure: { code: expect.any(String) } });
    expect(rejected.body.payment.refundedAmount).toEqual(aed(1500));
    const rest = await refund(pb, p.id, 3500, 'AED');
    expect(rest.body.payment).toMatchObject({ status: 'refunded', refundedAmount: aed(5000) });
    expect(await ledger(pb, 'payby', p.providerRef!)).toMatchObject({ captured: true, refundedMinor: 5000 });
  });

  it('a refund whose answer is lost is re-sent under the same number: one refund at PayBy', async () => {
    const p = await paid(2000);
    await fault({ path: '/acquire2/refund/placeOrder', kind: 'drop', phase: 'after' });
    const r = await refund(pb, p.id, 2000, 'AED');
    expect(r.body.refund.status).toBe('unknown');
    expect((await waitForRefund(pb, p.id, r.body.refund.id)).status).toBe('succeeded');
    expect((await pb.get(p.id)).body.status).toBe('refunded');
    const order_ = (await pb.request('GET', `/sim/payby/control/orders/${p.providerRef}`, { auth: false })).body;
    expect(order_.refunds).toHaveLength(1);
  });

  it('void revokes the paid order: reversed, money back', async () => {
    const p = await paid(1200);
    const v = await voidPayment(pb, p.id);
    expect(v.status).toBe(200);
    expect(v.body.status).toBe('reversed');
    expect(await ledger(pb, 'payby', p.providerRef!)).toMatchObject({ captured: true, refundedMinor: 1200 });
  });
});
