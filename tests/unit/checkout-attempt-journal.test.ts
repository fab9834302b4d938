// The kiosk's payment journal against the real proxy (real app on a real port, real Pockyt simulator): the
// attempt is on disk before the request leaves, answers are recorded, a second attempt for an order is refused
// while the first is unresolved, and after a "reload" every journaled attempt is found again (or closed as
// never sent) — with the order queue following along and app updates held while anything is unresolved.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/lib/api/client';
import type { PaymentUpdates } from '../../src/lib/checkout/attempt-types';
import { AttemptJournal, journaledTransport } from '../../src/lib/checkout/attempt-journal';
import { CpmAttempt, initialFlowState } from '../../src/lib/checkout/cpm-attempt';
import { attemptsForOrder, journalAttempt, openAttempts } from '../../src/lib/offline/journal';
import { OrderQueue } from '../../src/lib/offline/queue';
import type { Money } from '../../src/shared/money';
import type { PaymentView } from '../../src/shared/api';
import { startServer, type TestServer } from '../server/helpers/app';
import { alipayTestCode, Kiosk } from '../server/helpers/kiosk';

let server: TestServer;
let kiosk: Kiosk;
beforeAll(async () => {
  server = await startServer();
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number): Money => ({ value, currency: 'USD' });
const until = async (cond: () => boolean | Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
/** No SSE in these tests: the flow polls (the push path is covered by the Playwright recovery specs). */
const noPush: PaymentUpdates = { subscribe: () => () => {}, isConnected: () => false };

/** A wire to the real proxy that can be cut, and that notes what the journal held when each create left. */
function rig() {
  const db = `journal-${randomUUID()}`;
  let offline = false;
  let dropAnswers = 0;
  const creates: { key: string; journaled: string | undefined }[] = [];
  const holds = { held: 0, released: 0 };
  const queue = new OrderQueue({
    dbName: db,
    upload: async () => ({ kind: 'transient', status: null, code: 'x', message: 'no upload here' }),
  });
  const journal = new AttemptJournal({ queue, dbName: db, hold: () => holds.held++, release: () => holds.released++ });
  const fetchFn: typeof fetch = async (input, init) => {
    if (offline) throw new TypeError('fetch failed');
    const url = new URL(input instanceof Request ? input.url : input);
    if (init?.method === 'POST' && url.pathname === '/api/payments') {
      const key = new Headers(init.headers).get('idempotency-key')!;
      const orderId = JSON.parse(init.body as string).orderId as string;
      creates.push({ key, journaled: (await attemptsForOrder(orderId, db)).find((a) => a.idempotencyKey === key)?.status });
      if (dropAnswers > 0) {
        dropAnswers--;
        await (await fetch(input, init)).text(); // the proxy acted on it; the answer never reached the tablet
        throw new TypeError('connection reset');
      }
    }
    return fetch(input, init);
  };
  const api = createApiClient({ baseUrl: server.baseUrl, getToken: () => server.token, fetch: fetchFn });
  const flow = (orderId: string, amount: Money) =>
    new CpmAttempt(initialFlowState(orderId, amount), {
      api: journaledTransport(api, journal),
      events: noPush,
      acceptedVendors: ['alipay', 'wechatpay'],
      pollIntervalMs: 50,
      eventGraceMs: 50,
      retryDelaysMs: [20, 40],
    });
  return {
    db,
    api,
    journal,
    queue,
    holds,
    creates,
    flow,
    setOffline: (v: boolean) => (offline = v),
    dropAnswers: (n: number) => (dropAnswers = n),
  };
}

/** A journal with no proxy behind it, fed the stream's latest views by hand. */
function pushRig() {
  const db = `journal-${randomUUID()}`;
  const queue = new OrderQueue({
    dbName: db,
    upload: async () => ({ kind: 'transient', status: null, code: 'x', message: 'no upload here' }),
  });
  const pushed = new Map<string, PaymentView>();
  const journal = new AttemptJournal({ queue, dbName: db, hold: () => {}, release: () => {}, latest: (id) => pushed.get(id) });
  return { db, journal, pushed, orderId: `order-${randomUUID()}` };
}

const pendingView = (p: Pick<PaymentView, 'id' | 'orderId' | 'mode' | 'provider' | 'vendor' | 'amount'>): PaymentView => ({
  ...p,
  status: 'pending',
  refundedAmount: { value: 0, currency: p.amount.currency },
  providerRef: 'TXN1',
  needsAttention: false,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
});

async function approve(code: string): Promise<void> {
  let txn: string | undefined;
  await until(async () => (txn = (await kiosk.sim('GET', `/control/codes/${code}`)).body.transaction?.transactionNo) !== undefined);
  expect((await kiosk.sim('POST', `/control/transactions/${txn}/approve`)).status).toBe(200);
}

describe('payment journal (issue 4)', () => {
  it('journals before the first send, keeps one record through a lost answer, and records the outcome', async () => {
    const r = rig();
    const orderId = `order-${randomUUID()}`;
    await r.queue.queue({ id: orderId, lines: [{ name: 'Open amount', unitPrice: usd(1250), qty: 1 }] });
    const flow = r.flow(orderId, usd(1250));
    const code = await kiosk.walletCode();
    r.dropAnswers(1);
    expect(flow.submitCode(code).ok).toBe(true);
    await until(() => flow.state.phase === 'pending');
    const key = flow.state.idempotencyKey;
    expect(r.creates).toEqual([
      { key, journaled: 'sending' },
      { key, journaled: 'sending' },
    ]);
    expect(await attemptsForOrder(orderId, r.db)).toHaveLength(1);
    expect((await kiosk.request('GET', `/api/payments?orderId=${orderId}`)).body.payments).toHaveLength(1);
    const [rec] = await attemptsForOrder(orderId, r.db);
    expect(rec).toMatchObject({ status: 'pending', paymentId: flow.state.payment!.id, amount: usd(1250), mode: 'cpm', vendor: 'alipay' });
    expect(rec.providerRef).toBeTruthy();
    expect((await r.queue.get(orderId))?.status).toBe('paying');
    expect(r.holds).toEqual({ held: 1, released: 0 });

    await approve(code);
    await until(() => flow.state.phase === 'paid');
    await until(async () => (await attemptsForOrder(orderId, r.db))[0]?.status === 'succeeded');
    await until(async () => (await r.queue.get(orderId))?.status === 'paid');
    expect(r.holds.released).toBeGreaterThanOrEqual(1);
    flow.dispose();
  });

  it('refuses a second attempt for the order while the first is unresolved and follows the open payment instead', async () => {
    const r = rig();
    const orderId = `order-${randomUUID()}`;
    const first = r.flow(orderId, usd(700));
    const code = await kiosk.walletCode();
    first.submitCode(code);
    await until(() => first.state.phase === 'pending');

    // A second tab (same journal) scans another code for the same order: nothing is sent for it.
    const second = r.flow(orderId, usd(700));
    expect(second.submitCode(alipayTestCode('0001')).ok).toBe(true);
    await until(() => second.state.phase === 'pending');
    expect(second.state.payment?.id).toBe(first.state.payment?.id);
    expect(r.creates).toHaveLength(1);
    expect((await kiosk.request('GET', `/api/payments?orderId=${orderId}`)).body.payments).toHaveLength(1);

    await approve(code);
    await until(() => first.state.phase === 'paid' && second.state.phase === 'paid');
    first.dispose();
    second.dispose();
  });

  it('a decline closes the attempt, puts the order back to open and lets updates through', async () => {
    const r = rig();
    const orderId = `order-${randomUUID()}`;
    await r.queue.park({ id: orderId, lines: [{ name: 'Open amount', unitPrice: usd(300), qty: 1 }] });
    const flow = r.flow(orderId, usd(300));
    flow.submitCode(alipayTestCode('0003')); // pending, then failed
    await until(() => flow.state.phase === 'declined');
    await until(async () => (await r.queue.get(orderId))?.status === 'open');
    expect((await attemptsForOrder(orderId, r.db)).map((a) => a.status)).toEqual(['failed']);
    expect(await openAttempts(r.db)).toEqual([]);
    expect(r.holds.released).toBeGreaterThanOrEqual(1);
    flow.dispose();
  });

  it('a push that came before the create answer still closes the attempt (the next attempt is not blocked)', async () => {
    const { db, journal, pushed, orderId } = pushRig();
    const req = { orderId, amount: usd(799), mode: 'cpm' as const, code: alipayTestCode('0001'), vendor: 'alipay' as const };
    await journal.begin(req, 'key-1');
    const view = pendingView({ id: 'pay_early', orderId, mode: 'cpm', provider: 'pockyt', vendor: 'alipay', amount: usd(799) });
    // The customer declined at once: the stream said so before the create answer named the payment.
    pushed.set(view.id, { ...view, status: 'failed' });
    await journal.observe({ ...view, status: 'failed' });
    await journal.answered('key-1', view);
    expect((await attemptsForOrder(orderId, db)).map((a) => a.status)).toEqual(['failed']);
    expect(await openAttempts(db)).toEqual([]);
    await expect(journal.begin({ ...req, code: alipayTestCode('0002') }, 'key-2')).resolves.toMatchObject({ status: 'sending' });
  });

  it('an attempt the stream has shown closed does not block the next one while its record is still being written', async () => {
    const { db, journal, pushed, orderId } = pushRig();
    const req = { orderId, amount: usd(200), mode: 'mpm' as const, provider: 'payby' as const };
    await journal.begin(req, 'key-1');
    const view = pendingView({ id: 'pay_qr', orderId, mode: 'mpm', provider: 'payby', vendor: 'payby', amount: usd(200) });
    await journal.answered('key-1', view);
    // Still open on the stream: the next attempt is refused, nothing may be sent for it.
    pushed.set(view.id, view);
    await expect(journal.begin(req, 'key-2')).rejects.toMatchObject({ code: 'attempt_unresolved' });
    // The stream pushed the QR's expiry; the screen renews at once, before the journal's own observe() of
    // that push has written the record (the loaded-tablet race the soak caught as "Not paid" after New code).
    pushed.set(view.id, { ...view, status: 'expired' });
    await expect(journal.begin(req, 'key-3')).resolves.toMatchObject({ status: 'sending' });
    expect((await attemptsForOrder(orderId, db)).map((a) => [a.idempotencyKey, a.status]).sort()).toEqual([
      ['key-1', 'expired'],
      ['key-3', 'sending'],
    ]);
  });

  it('after a reload: finds an attempt whose answer was lost, closes one that never left, and resumes on "checking"', async () => {
    const r = rig();
    // 1. Journaled, sent, answer lost before the paymentId was recorded (the page died).
    const lostOrder = `order-${randomUUID()}`;
    const lostKey = randomUUID();
    const code = await kiosk.walletCode();
    await journalAttempt({ idempotencyKey: lostKey, orderId: lostOrder, amount: usd(450), mode: 'cpm', vendor: 'alipay' }, r.db);
    expect((await kiosk.pay({ orderId: lostOrder, amount: usd(450), mode: 'cpm', code, vendor: 'alipay' }, lostKey)).status).toBe(201);
    // 2. Journaled, but the tablet crashed before the request left.
    const neverOrder = `order-${randomUUID()}`;
    await journalAttempt({ idempotencyKey: randomUUID(), orderId: neverOrder, amount: usd(200), mode: 'cpm' }, r.db);

    const never = (await openAttempts(r.db)).find((a) => a.orderId === neverOrder)!;
    expect(await r.journal.locate(r.api, never)).toBeNull();
    expect((await attemptsForOrder(neverOrder, r.db))[0]?.status).toBe('failed');

    // The lost one resumes on screen: "checking" while the proxy cannot be reached, then where it really is.
    r.setOffline(true);
    const lost = (await openAttempts(r.db)).find((a) => a.orderId === lostOrder)!;
    const flow = r.flow(lostOrder, usd(450));
    expect(flow.resume(lost, () => r.journal.locate(r.api, lost))).toBe(true);
    expect(flow.state.phase).toBe('checking');
    await new Promise((res) => setTimeout(res, 150));
    expect(flow.state.phase).toBe('checking');
    expect(flow.locked).toBe(true);
    r.setOffline(false);
    flow.wake();
    await until(() => flow.state.phase === 'pending');
    expect((await attemptsForOrder(lostOrder, r.db))[0]).toMatchObject({ status: 'pending', paymentId: flow.state.payment!.id });

    await approve(code);
    await until(() => flow.state.phase === 'paid');
    expect(r.creates).toHaveLength(0); // nothing was charged again
    expect((await kiosk.request('GET', `/api/payments?orderId=${lostOrder}`)).body.payments).toHaveLength(1);
    flow.dispose();
  });

  it('a resumed attempt that never reached the proxy returns to "scan a code" with an explanation', async () => {
    const r = rig();
    const orderId = `order-${randomUUID()}`;
    const rec = await journalAttempt({ idempotencyKey: randomUUID(), orderId, amount: usd(900), mode: 'cpm', vendor: 'alipay' }, r.db);
    const flow = r.flow(orderId, usd(900));
    flow.resume(rec, () => r.journal.locate(r.api, rec));
    await until(() => flow.state.phase === 'ready');
    expect(flow.state.error?.code).toBe('attempt_not_sent');
    // Now a new attempt for the order is allowed and goes out with a new key.
    flow.retry();
    flow.submitCode(alipayTestCode('0001'));
    await until(() => flow.state.phase === 'paid');
    expect(r.creates.map((c) => c.journaled)).toEqual(['sending']);
    expect(r.creates[0].key).not.toBe(rec.idempotencyKey);
    flow.dispose();
  });
});
