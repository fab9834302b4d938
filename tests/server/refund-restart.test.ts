// A refund left without a verdict by a dying proxy: the `created` row is committed, the provider call never
// went out (or its answer was lost). The next instance, on the same database, re-sends it under the same
// refund reference on start — the provider has exactly one refund either way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundReference } from '../../server/payments/refunds.ts';
import { DEMO_CREDENTIALS, startPockytSimulator, type RunningSimulator } from '../../sandbox/pockyt/standalone.ts';
import { openStore } from '../../server/store/db.ts';
import { insertRefund } from '../../server/store/refunds.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { durableDatabases } from './helpers/databases.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { refund, waitForRefund } from './helpers/staff.ts';

let sim: RunningSimulator;
let simKiosk: Kiosk;
const databases = durableDatabases('kiosk-refund-restart-');

beforeAll(async () => {
  sim = await startPockytSimulator({ ipnRetryScheduleMs: [] });
  simKiosk = new Kiosk(new URL(sim.baseUrl).origin, '');
});
afterAll(async () => {
  await sim?.close();
  await databases.drop();
});

const proxy = async (): Promise<TestServer> =>
  startServer({
    DATABASE_URL: await databases.url('kiosk.db'),
    POCKYT_BASE_URL: sim.baseUrl,
    POCKYT_MERCHANT_NO: DEMO_CREDENTIALS.merchantNo,
    POCKYT_STORE_NO: DEMO_CREDENTIALS.storeNo,
    POCKYT_TOKEN: DEMO_CREDENTIALS.token,
  });

describe('refund across a restart', () => {
  it('re-sends refunds left `created` and `unknown`; Pockyt ends with one refund each', async () => {
    const first = await proxy();
    const k1 = new Kiosk(first.baseUrl, first.token);
    const p = (await k1.pay({ orderId: order(), amount: { value: 4000, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') }))
      .body;
    expect(p.status).toBe('succeeded');
    // (b) sent, Pockyt refunded, the answer was lost.
    await simKiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/refund', kind: 'drop', phase: 'after' });
    const lost = await refund(k1, p.id, 500, 'USD');
    expect(lost.body.refund.status).toBe('unknown');
    await first.close();
    // (a) committed, never sent: the process died right after the insert. Written once the first proxy is gone:
    // written while it ran, its own sweep would adopt and send it (and, before the lost refund, take that one's
    // fault) — the soak saw the lost refund succeed.
    const store = openStore(await databases.url('kiosk.db'));
    await insertRefund(store.db, {
      id: 'ref_crashed',
      paymentId: p.id,
      terminalId: first.terminalId,
      idempotencyKey: 'k-crashed',
      requestHash: 'x',
      refundReference: refundReference(p.id, 'k-crashed'),
      amount: { value: 1000, currency: 'USD' },
      staffId: 'env:supervisor',
      createdAt: new Date().toISOString(),
    });
    await store.close();

    const second = await proxy();
    try {
      const k2 = new Kiosk(second.baseUrl, first.token);
      expect((await waitForRefund(k2, p.id, 'ref_crashed')).status).toBe('succeeded');
      expect((await waitForRefund(k2, p.id, lost.body.refund.id)).status).toBe('succeeded');
      expect((await k2.get(p.id)).body).toMatchObject({ status: 'partially_refunded', refundedAmount: { value: 1500, currency: 'USD' } });
      const txn = await simKiosk.sim('GET', `/control/transactions/${p.providerRef}`);
      expect(txn.body.refunds.map((r: { refundAmount: string }) => r.refundAmount).sort()).toEqual(['10.00', '5.00']);
    } finally {
      await second.close();
    }
  });
});
