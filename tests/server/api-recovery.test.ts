// The reconciler against the real simulator with injected faults: lost requests, a provider that stops
// answering, a customer who never confirms, and a proxy restart with a payment left half-way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { durableDatabases } from './helpers/databases.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { getPayment, insertPayment } from '../../server/store/payments.ts';
import { openStore } from '../../server/store/db.ts';
import { providerReference } from '../../server/payments/reference.ts';
import { ATTENTION_AFTER_ERRORS } from '../../server/payments/poll-round.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer({ ...NO_IPN, POCKYT_CONFIRM_WINDOW_MS: '1500' });
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });
const fault = (path: string, kind: string, phase: string, times = 1) => kiosk.sim('POST', '/control/faults', { path, kind, phase, times });

describe('reconciler', () => {
  it('fails a payment whose add never reached Pockyt (not_created), after a query by reference', async () => {
    expect((await fault('/app-instore/v3/add', 'drop', 'before')).status).toBe(200);
    const r = await kiosk.pay({ orderId: order(), amount: usd(1000), mode: 'cpm', code: alipayTestCode('0001') });
    expect(r.body.status).toBe('unknown');
    expect(r.body.providerRef).toBeNull();
    const done = await kiosk.waitFor(r.body.id, (p) => p.status !== 'unknown');
    expect(done.status).toBe('failed');
    expect(done.failure?.code).toBe('not_created');
  });

  it('finds the charge when the prepay answer is lost after Pockyt committed it', async () => {
    await fault('/app-instore/v3/prepay', 'drop', 'after');
    const r = await kiosk.pay({ orderId: order(), amount: usd(1200), mode: 'cpm', code: alipayTestCode('0001') });
    expect(r.body.status).toBe('unknown');
    expect(r.body.providerRef).toMatch(/\S/);
    const done = await kiosk.waitFor(r.body.id, (p) => p.status !== 'unknown');
    expect(done.status).toBe('succeeded');
  });

  it('raises needsAttention while queries fail, never fails the payment for it, and clears it once answered', async () => {
    const code = await kiosk.walletCode();
    const r = await kiosk.pay({ orderId: order(), amount: usd(1300), mode: 'cpm', code });
    expect(r.body.status).toBe('pending');
    // Note: the confirm window (1.5 s) passes during this outage; cancelling needs a query answer first.
    await fault('/app-data-search/v3/tran-query', 'http500', 'before', ATTENTION_AFTER_ERRORS + 2);
    const flagged = await kiosk.waitFor(r.body.id, (p) => p.needsAttention);
    expect(flagged.status).toBe('pending');
    const done = await kiosk.waitFor(r.body.id, (p) => p.status !== 'pending');
    expect(done.needsAttention).toBe(false);
    expect(done.status).toBe('cancelled');
  });

  it('cancels at Pockyt when the customer never confirms within the window', async () => {
    const code = await kiosk.walletCode('wechatpay');
    const r = await kiosk.pay({ orderId: order(), amount: usd(1400), mode: 'cpm', code });
    expect(r.body.status).toBe('pending');
    const done = await kiosk.waitFor(r.body.id, (p) => p.status !== 'pending', 6000);
    expect(done.status).toBe('cancelled');
    const events = await listPaymentEvents(server.app.kiosk.db, r.body.id);
    expect(events.filter((e) => e.applied).at(-1)).toMatchObject({ source: 'reconciler', to: 'cancelled' });
    const txn = await kiosk.sim('GET', `/control/transactions/${r.body.providerRef}`);
    expect(txn.body.status).toBe('closed');
  });
});

describe('restart', () => {
  const databases = durableDatabases('kiosk-restart-');
  afterAll(() => databases.drop());

  it('rescans on start and settles a payment a crash left in `created`', async () => {
    const env = { DATABASE_URL: await databases.url('kiosk.db') };
    const first = await startServer(env);
    await first.close();
    // Written once the first proxy is gone (as a crash right after the insert leaves it): written while it ran,
    // its own sweep could take the payment up before the restart this test is about.
    const key = 'crash-key';
    const store = openStore(env.DATABASE_URL);
    await insertPayment(store.db, {
      id: 'pay_crashed',
      terminalId: first.terminalId,
      orderId: order(),
      idempotencyKey: key,
      requestHash: 'x',
      mode: 'cpm',
      provider: 'pockyt',
      vendor: 'alipay',
      amount: usd(999),
      reference: providerReference(first.terminalId, key),
      codeMasked: null,
      now: new Date().toISOString(),
    });
    await store.close();

    const second = await startServer(env);
    try {
      const until = Date.now() + 5000;
      let p = await getPayment(second.app.kiosk.db, 'pay_crashed');
      while (p?.status === 'created' && Date.now() < until) {
        await new Promise((res) => setTimeout(res, 50));
        p = await getPayment(second.app.kiosk.db, 'pay_crashed');
      }
      expect(p?.status).toBe('failed');
      expect(p?.failure?.code).toBe('not_created');
      expect(second.simCalls.some((c) => c.includes('tran-query'))).toBe(true);
    } finally {
      await second.close();
    }
  });
});
