// A proxy restart mid-payment: the Pockyt simulator runs on its own (it is "the provider" and outlives the
// proxy); one proxy instance starts a payment and is closed, a new one is built on the same SQLite file,
// rescans every non-final payment on start and converges to what Pockyt says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/app.ts';
import { durableDatabases } from './helpers/databases.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { DEMO_CREDENTIALS, startPockytSimulator, type RunningSimulator } from '../../sandbox/pockyt/standalone.ts';
import { applyTransition } from '../../server/payments/transition.ts';
import { listPaymentEvents } from '../../server/store/events.ts';

let sim: RunningSimulator;
let simKiosk: Kiosk;
const databases = durableDatabases('kiosk-reconcile-restart-');
let seq = 0;

beforeAll(async () => {
  // No IPNs: the first proxy is gone when the customer confirms; only the rescan can find out.
  sim = await startPockytSimulator({ ipnRetryScheduleMs: [], pendingMs: 200 });
  simKiosk = new Kiosk(new URL(sim.baseUrl).origin, '');
});
afterAll(async () => {
  await sim?.close();
  await databases.drop();
});

const usd = (value: number) => ({ value, currency: 'USD' });

/** A proxy on this test's database (SQLite file or Postgres), talking to the shared simulator. `quiet`: its poller never runs. */
async function proxy(db: string, quiet: boolean): Promise<TestServer> {
  return startServer({
    DATABASE_URL: await databases.url(db),
    POCKYT_BASE_URL: sim.baseUrl,
    POCKYT_MERCHANT_NO: DEMO_CREDENTIALS.merchantNo,
    POCKYT_STORE_NO: DEMO_CREDENTIALS.storeNo,
    POCKYT_TOKEN: DEMO_CREDENTIALS.token,
    ...(quiet ? { POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' } : {}),
  });
}

async function restartDuring<T>(setup: (k: Kiosk, first: TestServer) => Promise<T>, between: (t: T) => Promise<void>) {
  const db = `kiosk-${++seq}.db`;
  const first = await proxy(db, true);
  const k = new Kiosk(first.baseUrl, first.token);
  let value: T;
  try {
    value = await setup(k, first);
  } finally {
    await first.close();
  }
  await between(value);
  const second = await proxy(db, false);
  return { value, second, kiosk: new Kiosk(second.baseUrl, first.token) };
}

describe('proxy restart mid-payment', () => {
  it('a pending payment the customer confirms while the proxy is down ends succeeded after restart', async () => {
    const {
      value: p,
      second,
      kiosk,
    } = await restartDuring(
      async (k) => {
        const r = await k.pay({ orderId: order(), amount: usd(3100), mode: 'cpm', code: await simKiosk.walletCode() });
        expect(r.body.status).toBe('pending');
        return r.body;
      },
      async (p) => {
        expect((await simKiosk.sim('POST', `/control/transactions/${p.providerRef}/approve`)).status).toBe(200);
      },
    );
    try {
      const done = await kiosk.waitFor(p.id, (x) => x.status !== 'pending', 4000);
      expect(done.status).toBe('succeeded');
      const last = (await listPaymentEvents(second.app.kiosk.db, p.id)).filter((e) => e.applied).at(-1);
      expect(last).toMatchObject({ source: 'poll', to: 'succeeded' });
    } finally {
      await second.close();
    }
  });

  it('an unknown outcome left by a lost prepay answer is resolved by the new instance, with one charge', async () => {
    const {
      value: p,
      second,
      kiosk,
    } = await restartDuring(
      async (k) => {
        await simKiosk.sim('POST', '/control/faults', { path: '/app-instore/v3/prepay', kind: 'drop', phase: 'after' });
        const r = await k.pay({ orderId: order(), amount: usd(3200), mode: 'cpm', code: alipayTestCode('0001') });
        expect(r.body.status).toBe('unknown');
        return r.body;
      },
      async () => {},
    );
    try {
      const done = await kiosk.waitFor(p.id, (x) => x.status !== 'unknown', 4000);
      expect(done.status).toBe('succeeded');
      const txn = await simKiosk.sim('GET', `/control/transactions/${p.providerRef}`);
      expect(txn.body).toMatchObject({ status: 'success', refundAmount: '0.00', reference: expect.any(String) });
      // The order is settled as paid: it cannot be charged a second time.
      const again = await kiosk.pay({ orderId: done.orderId, amount: usd(3200), mode: 'cpm', code: alipayTestCode('0001') });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('order_already_paid');
    } finally {
      await second.close();
    }
  });

  it('a capture that lands after `expired` is found on restart: succeeded + late, raised for staff', async () => {
    const {
      value: p,
      second,
      kiosk,
    } = await restartDuring(
      async (k, first) => {
        const r = await k.pay({ orderId: order(), amount: usd(3300), mode: 'cpm', code: await simKiosk.walletCode() });
        expect(r.body.status).toBe('pending');
        // The previous instance had concluded the window closed unpaid.
        await applyTransition(first.app.kiosk.db, first.app.kiosk.bus, {
          paymentId: r.body.id,
          to: 'expired',
          source: 'reconciler',
          raw: { test: 'window closed' },
        });
        return r.body;
      },
      async (p) => {
        await simKiosk.sim('POST', `/control/transactions/${p.providerRef}/approve`);
      },
    );
    try {
      const done = await kiosk.waitFor(p.id, (x) => x.status !== 'expired', 4000);
      expect(done).toMatchObject({ status: 'succeeded', late: true, needsAttention: true });
      const list = await kiosk.request('GET', '/api/attention');
      expect(list.body.items.map((i: any) => [i.payment.id, i.reason])).toContainEqual([p.id, 'late_payment']);
    } finally {
      await second.close();
    }
  });
});
