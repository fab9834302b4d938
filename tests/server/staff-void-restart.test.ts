// A void without a verdict is an uncertain staff action on a settled payment: it stays flagged and is
// re-checked with the provider until our books agree with it — also by the next proxy on the same database
// when the one that sent it is gone (issue 9: "the reconciler never revisits a settled payment").
// The Pockyt simulator runs on its own here: it is "the provider" and outlives the proxies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startPockytSimulator, type RunningSimulator } from '../../sandbox/pockyt/standalone.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { durableDatabases } from './helpers/databases.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { refund, voidPayment } from './helpers/staff.ts';

let sim: RunningSimulator;
let simKiosk: Kiosk;
const databases = durableDatabases('kiosk-void-restart-');
let seq = 0;

beforeAll(async () => {
  sim = await startPockytSimulator({ ipnRetryScheduleMs: [] });
  simKiosk = new Kiosk(new URL(sim.baseUrl).origin, '');
});
afterAll(async () => {
  await sim?.close();
  await databases.drop();
});

const usd = (value: number) => ({ value, currency: 'USD' });

/** A proxy on `db`. `quiet`: its payment checks wait a minute, so whatever happens next is someone else's doing. */
const proxy = async (db: string, quiet = false): Promise<TestServer> =>
  startServer({
    DATABASE_URL: await databases.url(db),
    POCKYT_BASE_URL: sim.baseUrl,
    POCKYT_MERCHANT_NO: DEMO_CREDENTIALS.merchantNo,
    POCKYT_STORE_NO: DEMO_CREDENTIALS.storeNo,
    POCKYT_TOKEN: DEMO_CREDENTIALS.token,
    ...(quiet ? { POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' } : {}),
  });

const QUERY = '/app-data-search/v3/tran-query';
const txn = async (providerRef: string) => (await simKiosk.sim('GET', `/control/transactions/${providerRef}`)).body;

describe('a void without a verdict', () => {
  it('done at the provider, answer lost, proxy gone: the next proxy finds the reversal and clears the flag', async () => {
    const db = `void-${++seq}.db`;
    const first = await proxy(db, true);
    const k1 = new Kiosk(first.baseUrl, first.token);
    let paymentId: string;
    let providerRef: string;
    try {
      const p = (await k1.pay({ orderId: order(), amount: usd(1000), mode: 'cpm', code: alipayTestCode('0001') })).body;
      paymentId = p.id;
      providerRef = p.providerRef!;
      await simKiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/cancel', kind: 'drop', phase: 'after' });
      // This proxy's own re-check of the void (about a second later) must not find the reversal before the
      // refund below is tried, however slow the machine: every query it makes fails until it is gone.
      await simKiosk.sim('POST', '/control/faults', { path: QUERY, kind: 'http500', phase: 'before', times: 1000 });
      const v = await voidPayment(k1, p.id);
      expect(v.status).toBe(202);
      expect(v.body).toMatchObject({ status: 'succeeded', needsAttention: true });
      // Meanwhile nothing else may move money on it: the void may have happened.
      const r = await refund(k1, p.id, 400, 'USD');
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('action_in_progress');
    } finally {
      await first.close();
      await simKiosk.sim('DELETE', '/control/faults');
    }
    expect(await txn(providerRef)).toMatchObject({ status: 'success', refundAmount: '10.00' });

    const second = await proxy(db);
    try {
      const k2 = new Kiosk(second.baseUrl, first.token);
      const done = await k2.waitFor(paymentId, (x) => x.status === 'reversed', 8000);
      expect(done.needsAttention).toBe(false);
      const changes = (await listPaymentEvents(second.app.kiosk.db, paymentId)).filter((e) => e.applied && e.from !== e.to);
      expect(changes.map((e) => `${e.from}>${e.to}`)).toEqual(['null>created', 'created>succeeded', 'succeeded>reversed']);
      expect((await txn(providerRef)).refunds).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('never reached the provider: once it cannot still be on its way, staff may act again; it stays flagged until they do', async () => {
    const server = await proxy(`void-${++seq}.db`);
    try {
      const k = new Kiosk(server.baseUrl, server.token);
      const p = (await k.pay({ orderId: order(), amount: usd(1500), mode: 'cpm', code: alipayTestCode('0001') })).body;
      await simKiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/cancel', kind: 'drop', phase: 'before' });
      expect((await voidPayment(k, p.id)).status).toBe(202);
      // RECONCILE_NOT_FOUND_GRACE_MS (1 s in tests): after it the provider's "still paid" is believed.
      const until = Date.now() + 8000;
      let again = await refund(k, p.id, 500, 'USD');
      while (again.status === 409 && Date.now() < until) {
        await new Promise((res) => setTimeout(res, 200));
        again = await refund(k, p.id, 500, 'USD');
      }
      expect(again.status).toBe(201);
      expect(again.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: usd(500), needsAttention: true });
      expect((await txn(p.providerRef!)).refundAmount).toBe('5.00');
    } finally {
      await server.close();
    }
  });
});
