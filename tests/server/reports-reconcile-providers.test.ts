// Reconciliation with Centrapay (its payment-activities list) and PayBy (a query of each of our orders: no
// list API), against the real simulators: a payment the provider took that we never recorded, and amount
// and status differences between our books and theirs. Our side is changed in the database, as a bug or a
// lost write would leave it; the provider's side is changed only through its own API.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';
import { CENTRAPAY_FAST, PAYBY_FAST } from './helpers/providers.ts';
import { DEMO_PIN } from './helpers/staff.ts';

let nz: TestServer;
let ae: TestServer;
let cp: Kiosk;
let pb: Kiosk;

beforeAll(async () => {
  [nz, ae] = await Promise.all([
    startServer({ ...CENTRAPAY_FAST, SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: 'none' }, { store: 'demo-nz' }),
    startServer({ ...PAYBY_FAST, SIM_PAYBY_NOTIFY_SCHEDULE_MS: 'none' }, { store: 'demo-ae' }),
  ]);
  cp = new Kiosk(nz.baseUrl, nz.token);
  pb = new Kiosk(ae.baseUrl, ae.token);
});
afterAll(async () => {
  await Promise.all([nz?.close(), ae?.close()]);
});

const storeReport = (k: Kiosk) => k.request('GET', '/api/reports/day?scope=store', { headers: { 'x-staff-pin': DEMO_PIN } });
const setOurs = (server: TestServer, id: string, values: { amount_value?: number; status?: string }) =>
  server.app.kiosk.db.updateTable('payments').set(values).where('id', '=', id).execute();

describe('Centrapay (payment-activities list)', () => {
  const nzd = (value: number) => ({ value, currency: 'NZD' });
  const paid = async (value: number) => {
    const r = await cp.pay({ orderId: order(), amount: nzd(value), mode: 'cpm', code: testPatronCode('0001') });
    return cp.waitFor(r.body.id, (p) => p.status === 'succeeded', 4000);
  };

  it('finds a payment taken at Centrapay outside the proxy: at the provider but not here, and on Attention', async () => {
    const ours = await paid(1500);
    // The same merchant account charged by something else (another till, the merchant portal): no row of ours.
    const adapter = nz.app.kiosk.adapters.get('centrapay')!;
    const reference = `outside-${randomUUID()}`;
    const v = await adapter.chargeCode({ reference, amount: nzd(2750), code: testPatronCode('0001'), vendor: 'centrapay' });
    const ref = { reference, providerRef: v.providerRef! };
    // Quick Pay assets are charged when the request is first read.
    await expect.poll(async () => (await adapter.query(ref))?.status, { timeout: 4000 }).toBe('succeeded');

    const r = await storeReport(cp);
    expect(r.status).toBe(200);
    const rec = r.body.reconciliation.centrapay;
    expect(rec).toMatchObject({ method: 'list', status: 'differences' });
    expect(rec.matched).toBeGreaterThanOrEqual(1);
    expect(rec.differences).toEqual([
      expect.objectContaining({ kind: 'missing_here', providerRef: v.providerRef, theirsValue: 2750, currency: 'NZD', paymentId: null }),
    ]);
    expect(rec.differences.some((d: { paymentId: string | null }) => d.paymentId === ours.id)).toBe(false);
    const attention = await cp.request('GET', '/api/attention');
    expect(attention.body.differences).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'missing_here', provider: 'centrapay', providerRef: v.providerRef })]),
    );
  });

  it('reports an amount and a status our books disagree on, with the provider reference', async () => {
    const short = await paid(4000);
    const failed = await paid(1200);
    await setOurs(nz, short.id, { amount_value: 3900 });
    await setOurs(nz, failed.id, { status: 'failed' });

    const rec = (await storeReport(cp)).body.reconciliation.centrapay;
    expect(rec.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'amount',
          paymentId: short.id,
          providerRef: short.providerRef,
          oursValue: 3900,
          theirsValue: 4000,
        }),
        expect.objectContaining({
          kind: 'status',
          paymentId: failed.id,
          providerRef: failed.providerRef,
          oursStatus: 'failed',
          theirsStatus: 'succeeded',
        }),
      ]),
    );
  });
});

describe('PayBy (a query of each order: no list API)', () => {
  const aed = (value: number) => ({ value, currency: 'AED' });
  const paid = async (value: number) => {
    const r = await pb.pay({ orderId: order(), amount: aed(value), mode: 'cpm', code: 'OK0000000001' });
    expect(r.body.status).toBe('succeeded');
    return r.body;
  };

  it('finds money PayBy took that we recorded as not taken, and an amount difference; the rest matches', async () => {
    const ok = await paid(1000);
    const notTaken = await paid(2500);
    const short = await paid(5000);
    await setOurs(ae, notTaken.id, { status: 'failed' });
    await setOurs(ae, short.id, { amount_value: 5100 });

    const r = await storeReport(pb);
    const rec = r.body.reconciliation.payby;
    expect(rec).toMatchObject({ method: 'query', status: 'differences' });
    expect(rec.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'status', paymentId: notTaken.id, providerRef: notTaken.providerRef, theirsStatus: 'succeeded' }),
        expect.objectContaining({ kind: 'amount', paymentId: short.id, oursValue: 5100, theirsValue: 5000, currency: 'AED' }),
      ]),
    );
    expect(rec.differences.some((d: { paymentId: string | null }) => d.paymentId === ok.id)).toBe(false);
    const attention = await pb.request('GET', '/api/attention');
    expect(attention.body.differences).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'status', provider: 'payby', providerRef: notTaken.providerRef })]),
    );
  });

  it('a payment we recorded as taken that PayBy has no order for: here but not at the provider', async () => {
    const p = await paid(700);
    // Our row points at an order number PayBy never saw (as a write to the wrong order would leave it).
    await ae.app.kiosk.db
      .updateTable('payments')
      .set({ reference: `${p.id.replace(/-/g, '').slice(0, 20)}X`, provider_ref: null })
      .where('id', '=', p.id)
      .execute();
    const rec = (await storeReport(pb)).body.reconciliation.payby;
    expect(rec.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'missing_at_provider', paymentId: p.id, oursValue: 700, theirsValue: null }),
      ]),
    );
  });
});
