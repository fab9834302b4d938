// The reconciler against the real Pockyt simulator with injected faults (issue 4, "Unknown outcomes"). IPNs
// are off, so every resolution here is the poller's own query/cancel. Each case ends in the provider's truth
// with exactly one charge attempt at Pockyt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { SseReader } from './helpers/sse.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { ATTENTION_AFTER_ERRORS } from '../../server/payments/poll-round.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer({ ...NO_IPN, POCKYT_CONFIRM_WINDOW_MS: '2500' });
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });
const fault = async (path: string, kind: string, phase: string, extra: { ms?: number; times?: number } = {}) => {
  const r = await kiosk.sim('POST', '/control/faults', { path, kind, phase, ...extra });
  expect(r.status).toBe(200);
};
const calls = (part: string) => server.simCalls.filter((c) => c.includes(part)).length;
const PREPAY = '/app-instore/v3/prepay';
const QUERY = '/app-data-search/v3/tran-query';

/** Runs a 0001 (instant success) charge and returns how many add/prepay calls it cost at Pockyt. */
async function chargeOnce(value: number) {
  const adds = calls('/v3/add');
  const prepays = calls('/v3/prepay');
  const r = await kiosk.pay({ orderId: order(), amount: usd(value), mode: 'cpm', code: alipayTestCode('0001') });
  return { r, adds: () => calls('/v3/add') - adds, prepays: () => calls('/v3/prepay') - prepays };
}

async function expectOneCharge(providerRef: string | null, status: string) {
  expect(providerRef).toMatch(/\S/);
  const txn = await kiosk.sim('GET', `/control/transactions/${providerRef}`);
  expect(txn.body).toMatchObject({ status, refundAmount: '0.00' });
}

describe('unknown outcomes resolved by query', () => {
  it('timeout after Pockyt committed: unknown, then succeeded, with no second charge', async () => {
    await fault(PREPAY, 'delay', 'after', { ms: 1500 });
    const c = await chargeOnce(2100);
    expect(c.r.body.status).toBe('unknown');
    expect(c.r.body.failure).toBeUndefined();
    const done = await kiosk.waitFor(c.r.body.id, (p) => p.status !== 'unknown');
    expect(done.status).toBe('succeeded');
    expect([c.adds(), c.prepays()]).toEqual([1, 1]);
    await expectOneCharge(done.providerRef, 'success');
    const events = (await listPaymentEvents(server.app.kiosk.db, done.id)).filter((e) => e.applied).map((e) => [e.source, e.to]);
    expect(events).toEqual([
      ['create', 'created'],
      ['sync', 'unknown'],
      ['poll', 'succeeded'],
    ]);
  });

  it('5xx after Pockyt committed the prepay: unknown, then succeeded by query', async () => {
    await fault(PREPAY, 'http500', 'after');
    const c = await chargeOnce(2200);
    expect(c.r.body.status).toBe('unknown');
    const done = await kiosk.waitFor(c.r.body.id, (p) => p.status !== 'unknown');
    expect(done.status).toBe('succeeded');
    expect([c.adds(), c.prepays()]).toEqual([1, 1]);
    await expectOneCharge(done.providerRef, 'success');
  });

  it('5xx before Pockyt saw the prepay: unknown, never re-sent, closed at the window by query then cancel', async () => {
    await fault(PREPAY, 'http500', 'before');
    const c = await chargeOnce(2300);
    expect(c.r.body.status).toBe('unknown');
    const done = await kiosk.waitFor(c.r.body.id, (p) => p.status !== 'unknown' && p.status !== 'pending', 6000);
    expect(done.status).toBe('cancelled');
    // The code was never sent twice (pockyt.md §13.5), and nothing was charged.
    expect([c.adds(), c.prepays()]).toEqual([1, 1]);
    await expectOneCharge(done.providerRef, 'closed');
    const events = await listPaymentEvents(server.app.kiosk.db, done.id);
    expect(events.filter((e) => e.applied).map((e) => e.to)).toEqual(['created', 'unknown', 'pending', 'cancelled']);
    // A poll that finds it still pending is not an event: no pending → pending rows, however many polls ran.
    expect(events.filter((e) => e.from === e.to)).toEqual([]);
  });

  it('connection reset on prepay and on the first queries: still converges to the charge, once', async () => {
    await fault(PREPAY, 'drop', 'after');
    await fault(QUERY, 'drop', 'before', { times: 2 });
    const c = await chargeOnce(2400);
    expect(c.r.body.status).toBe('unknown');
    const done = await kiosk.waitFor(c.r.body.id, (p) => p.status !== 'unknown');
    expect(done.status).toBe('succeeded');
    expect([c.adds(), c.prepays()]).toEqual([1, 1]);
    await expectOneCharge(done.providerRef, 'success');
  });
});

describe('needs attention', () => {
  it('pushes the flag over SSE when queries keep failing, lists it, and clears it once Pockyt answers', async () => {
    const sse = new SseReader();
    await sse.open(`${server.baseUrl}/api/events`, server.token);
    try {
      const r = await kiosk.pay({ orderId: order(), amount: usd(2500), mode: 'cpm', code: await kiosk.walletCode() });
      expect(r.body.status).toBe('pending');
      await fault(QUERY, 'http500', 'before', { times: ATTENTION_AFTER_ERRORS });
      const mine = () => sse.updates().filter((u) => u.payment.id === r.body.id);
      await sse.waitFor(() => mine().some((u) => u.payment.needsAttention));
      expect(mine().find((u) => u.payment.needsAttention)!.payment.status).toBe('pending');

      const list = await kiosk.request('GET', '/api/attention');
      expect(list.body.items.find((i: any) => i.payment.id === r.body.id)).toMatchObject({
        reason: 'provider_not_answering',
        actions: ['recheck', 'cancel'],
        providerRef: r.body.providerRef,
      });

      await kiosk.sim('POST', `/control/transactions/${r.body.providerRef}/approve`);
      await sse.waitFor(() => mine().some((u) => u.payment.status === 'succeeded'));
      expect(mine().at(-1)!.payment).toMatchObject({ status: 'succeeded', needsAttention: false });
      // Raised once, cleared once: the flag's history is in the stream, in order.
      const flags = mine().map((u) => u.payment.needsAttention);
      expect(flags.filter((f, i) => i > 0 && f !== flags[i - 1])).toEqual([true, false]);
      const ids = mine().map((u) => u.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect((await kiosk.request('GET', '/api/attention')).body.items.some((i: any) => i.payment.id === r.body.id)).toBe(false);
    } finally {
      await sse.close();
    }
  });

  it('requires a terminal token for the attention list', async () => {
    expect((await kiosk.request('GET', '/api/attention', { auth: false })).status).toBe(401);
  });
});
