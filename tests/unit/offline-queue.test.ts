// The offline order queue against the real proxy (startServer: real app, real port, real Pockyt simulator):
// orders rung up offline are kept, uploaded exactly once when the network returns (also with two "tabs"
// flushing at once), retried with backoff, and a reopened order that is paid leaves the queue.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeKioskDb } from '../../src/lib/offline/db';
import { OrderQueue, OrderStateError, type QueueOptions } from '../../src/lib/offline/queue';
import type { QueueCounts } from '../../src/lib/offline/types';
import { createUploader } from '../../src/lib/offline/upload';
import { startServer, type TestServer } from '../server/helpers/app';
import { alipayTestCode, Kiosk } from '../server/helpers/kiosk';

let server: TestServer;
let kiosk: Kiosk;
beforeAll(async () => {
  server = await startServer();
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });

/** Counts the uploads that really reach the proxy; `fail` makes the next n attempts die like a dropped network. */
function wire() {
  const posts: string[] = [];
  let failNext = 0;
  const fetchFn: typeof fetch = async (input, init) => {
    if (failNext > 0) {
      failNext--;
      throw new TypeError('fetch failed');
    }
    const res = await fetch(input, init);
    if (res.ok) posts.push(JSON.parse(init?.body as string).id);
    return res;
  };
  return {
    posts,
    fail: (n: number) => (failNext = n),
    upload: createUploader({ baseUrl: server.baseUrl, getToken: () => server.token, fetch: fetchFn }),
  };
}

function queueFor(dbName: string, w: ReturnType<typeof wire>, extra: Partial<QueueOptions> = {}): OrderQueue {
  return new OrderQueue({ dbName, upload: w.upload, channelName: `ch-${dbName}`, lockName: `lock-${dbName}`, ...extra });
}

const cartLines = (minor: number) => [{ sku: null, name: 'Open amount', unitPrice: usd(minor), qty: 1 }];

async function serverOrders(status?: string): Promise<{ id: string; status: string }[]> {
  const r = await kiosk.request('GET', `/api/orders${status ? `?status=${status}` : ''}`);
  return r.body.orders;
}

describe('offline queue', () => {
  it('keeps three offline orders (badge 3) and uploads each exactly once when back online, with two tabs flushing', async () => {
    const db = `q-${randomUUID()}`;
    const w = wire();
    let online = false;
    const tabA = queueFor(db, w, { isOnline: () => online });
    const tabB = queueFor(db, w, { isOnline: () => online });
    const ids: string[] = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) await tabA.queue({ id, lines: cartLines(100 * (i + 1)) });

    expect(await tabB.counts()).toMatchObject({ waiting: 3, queued: 3, unsynced: 3, failed: 0 });
    expect(await tabA.flush()).toMatchObject({ sent: 0, stopped: 'offline', remaining: 3 });
    expect(w.posts).toEqual([]);

    online = true;
    const [a, b] = await Promise.all([tabA.flush(), tabB.flush()]);
    expect(a.sent + b.sent).toBe(3);
    expect(w.posts.sort()).toEqual([...ids].sort());
    const onServer = (await serverOrders('queued')).filter((o) => ids.includes(o.id));
    expect(onServer).toHaveLength(3);
    expect(await tabB.counts()).toMatchObject({ waiting: 3, queued: 3, unsynced: 0 });
    // Nothing left to send: another flush uploads nothing.
    await tabB.flush();
    expect(w.posts).toHaveLength(3);
  });

  it('still has the queued orders after the "browser" is closed and reopened', async () => {
    const db = `q-${randomUUID()}`;
    const w = wire();
    const id = randomUUID();
    await queueFor(db, w, { isOnline: () => false }).park({ id, lines: cartLines(450) });
    closeKioskDb(db);
    const reopened = queueFor(db, w);
    expect((await reopened.list(['parked'])).map((o) => [o.id, o.total.value])).toEqual([[id, 450]]);
  });

  it('reopens, edits and pays a queued order; once paid and uploaded it leaves the queue', async () => {
    const db = `q-${randomUUID()}`;
    const w = wire();
    const q = queueFor(db, w);
    const id = randomUUID();
    await q.queue({ id, lines: cartLines(300) });
    await q.flush();
    await q.reopen(id);
    const edited = await q.update({ id, lines: [...cartLines(300), { sku: 'tea', name: 'Tea', unitPrice: usd(250), qty: 2 }] });
    expect(edited.total).toEqual(usd(800));
    await q.markPaying(id);
    await expect(q.update({ id, lines: cartLines(1) })).rejects.toBeInstanceOf(OrderStateError);
    await expect(q.markPaying(id)).rejects.toBeInstanceOf(OrderStateError);

    const pay = await kiosk.pay({ orderId: id, amount: usd(800), mode: 'cpm', code: alipayTestCode('0001') });
    expect(pay.body.status).toBe('succeeded');
    await q.markPaid(id, pay.body.id);
    expect(await q.counts()).toMatchObject({ waiting: 0, unsynced: 1 });
    expect(await q.flush()).toMatchObject({ sent: 1, refused: 0 });
    expect(await q.get(id)).toMatchObject({ status: 'synced', paymentId: pay.body.id });
    expect((await serverOrders('paid')).filter((o) => o.id === id)).toHaveLength(1);
    expect(await q.counts()).toMatchObject({ waiting: 0, unsynced: 0 });
    const payments = await kiosk.request('GET', `/api/payments?orderId=${id}`);
    expect(payments.body.payments).toHaveLength(1);
  });

  it('backs off after lost uploads and retries by itself until the order is through', async () => {
    const db = `q-${randomUUID()}`;
    const w = wire();
    const q = queueFor(db, w, { backoff: { baseMs: 40, maxMs: 200 } });
    const id = randomUUID();
    w.fail(2);
    q.start();
    await q.queue({ id, lines: cartLines(999) });
    await expect.poll(() => w.posts, { timeout: 5000 }).toEqual([id]);
    expect((await q.get(id))?.syncedRevision).toBe(1);
    q.stop();
    expect((await serverOrders()).filter((o) => o.id === id)).toHaveLength(1);
  });

  it('keeps a refused upload for staff and does not retry it until the order changes', async () => {
    const db = `q-${randomUUID()}`;
    const w = wire();
    const q = queueFor(db, w);
    const id = randomUUID();
    await q.queue({ id, lines: cartLines(500) });
    await q.markPaid(id); // no payment on the proxy: it must refuse "paid"
    expect(await q.flush()).toMatchObject({ sent: 0, refused: 1 });
    expect((await q.get(id))?.syncError).toMatchObject({ code: 'order_not_paid', status: 409 });
    expect(await q.counts()).toMatchObject({ failed: 1, unsynced: 0 });
    const posts = w.posts.length;
    await q.flush();
    expect(w.posts.length).toBe(posts);
  });

  it('tells other tabs that the queue changed', async () => {
    const db = `q-${randomUUID()}`;
    const w = wire();
    const tabA = queueFor(db, w, { isOnline: () => false });
    const tabB = queueFor(db, w, { isOnline: () => false });
    tabA.start();
    tabB.start();
    const seen: QueueCounts[] = [];
    const off = tabB.subscribe((c) => seen.push(c));
    await tabA.queue({ id: randomUUID(), lines: cartLines(100) });
    await expect.poll(() => seen.at(-1)?.waiting, { timeout: 2000 }).toBe(1);
    off();
    tabA.stop();
    tabB.stop();
  });

  it('refuses an empty order or mixed currencies and writes nothing', async () => {
    const db = `q-${randomUUID()}`;
    const q = queueFor(db, wire());
    await expect(q.queue({ id: randomUUID(), lines: [] })).rejects.toThrow(/at least one line/);
    await expect(
      q.queue({ id: randomUUID(), lines: [...cartLines(1), { name: 'x', unitPrice: { value: 1, currency: 'NZD' }, qty: 1 }] }),
    ).rejects.toThrow(/one currency/);
    await expect(q.reopen('missing')).rejects.toBeInstanceOf(OrderStateError);
    expect(await q.counts()).toMatchObject({ waiting: 0, unsynced: 0 });
  });
});
