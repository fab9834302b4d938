// POST/GET /api/orders on the real app over HTTP: idempotent replays, concurrent duplicates, edits, the
// paid lock (checked against real payments through the Pockyt simulator) and per-terminal isolation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOrders } from '../../server/store/orders.ts';
import { alipayTestCode, Kiosk } from './helpers/kiosk.ts';
import { pair, startServer, type TestServer } from './helpers/app.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer();
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });

function newOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    lines: [
      { sku: 'coffee', name: 'Flat white', quantity: 2, unitPrice: usd(450) },
      { name: 'Open amount', quantity: 1, unitPrice: usd(125) },
    ],
    total: usd(1025),
    createdAt: new Date().toISOString(),
    status: 'queued',
    ...overrides,
  };
}

const post = (body: unknown, k = kiosk) => k.request('POST', '/api/orders', { body });

describe('POST /api/orders', () => {
  it('creates once (201) and answers a replay of the same body with the same order (200)', async () => {
    const o = newOrder();
    const before = await countOrders(server.app.kiosk.db);
    const first = await post(o);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: o.id, status: 'queued', total: usd(1025), createdAt: o.createdAt });
    expect(first.body.lines[1]).toEqual({ sku: null, name: 'Open amount', quantity: 1, unitPrice: usd(125) });
    const again = await post(o);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await countOrders(server.app.kiosk.db)).toBe(before + 1);
  });

  it('keeps exactly one row when the same order arrives many times at once', async () => {
    const o = newOrder();
    const before = await countOrders(server.app.kiosk.db);
    const replies = await Promise.all(Array.from({ length: 12 }, () => post(o)));
    expect(replies.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array(11).fill(200), 201]);
    expect(new Set(replies.map((r) => r.body.updatedAt)).size).toBe(1);
    expect(await countOrders(server.app.kiosk.db)).toBe(before + 1);
  });

  it('applies a changed body of an unpaid order (edit after reopen, park → queued)', async () => {
    const o = newOrder();
    expect((await post(o)).status).toBe(201);
    const edited = { ...o, status: 'parked', lines: [o.lines[0]], total: usd(900) };
    const r = await post(edited);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'parked', total: usd(900) });
    expect(r.body.lines).toHaveLength(1);
    const list = await kiosk.request('GET', '/api/orders?status=parked');
    expect(list.body.orders.filter((x: { id: string }) => x.id === o.id)).toHaveLength(1);
  });

  it('refuses "paid" without a payment on the server, then accepts it once paid and locks the order', async () => {
    const o = newOrder({ lines: [{ name: 'Open amount', quantity: 1, unitPrice: usd(777) }], total: usd(777) });
    expect((await post(o)).status).toBe(201);
    const claim = await post({ ...o, status: 'paid' });
    expect(claim.status).toBe(409);
    expect(claim.body.error.code).toBe('order_not_paid');

    const pay = await kiosk.pay({ orderId: o.id, amount: usd(777), mode: 'cpm', code: alipayTestCode('0001') });
    expect(pay.body.status).toBe('succeeded');
    const paid = await post({ ...o, status: 'paid' });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('paid');

    const edit = await post({ ...o, status: 'queued', lines: [{ name: 'Open amount', quantity: 1, unitPrice: usd(1) }], total: usd(1) });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('order_already_paid');
    const stored = await kiosk.request('GET', '/api/orders?status=paid');
    expect(stored.body.orders.find((x: { id: string }) => x.id === o.id)).toMatchObject({ status: 'paid', total: usd(777) });
  });

  it('accepts the first "paid" upload carrying lines edited offline (it matches the charge), then nothing more', async () => {
    const o = newOrder({ lines: [{ name: 'Open amount', quantity: 1, unitPrice: usd(300) }], total: usd(300) });
    expect((await post(o)).status).toBe(201);
    const lines = [
      { name: 'Open amount', quantity: 1, unitPrice: usd(300) },
      { sku: 'tea', name: 'Tea', quantity: 2, unitPrice: usd(250) },
    ];
    const pay = await kiosk.pay({ orderId: o.id, amount: usd(800), mode: 'cpm', code: alipayTestCode('0001') });
    expect(pay.body.status).toBe('succeeded');
    const paid = await post({ ...o, lines, total: usd(800), status: 'paid' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', total: usd(800) });
    const swapped = await post({ ...o, lines: [{ name: 'Other', quantity: 1, unitPrice: usd(800) }], total: usd(800), status: 'paid' });
    expect(swapped.status).toBe(409);
    expect(swapped.body.error.code).toBe('order_already_paid');
  });

  it('refuses "paid" when the recorded payment is for another amount', async () => {
    const o = newOrder({ lines: [{ name: 'Open amount', quantity: 1, unitPrice: usd(300) }], total: usd(300) });
    const pay = await kiosk.pay({ orderId: o.id, amount: usd(250), mode: 'cpm', code: alipayTestCode('0001') });
    expect(pay.body.status).toBe('succeeded');
    const before = await countOrders(server.app.kiosk.db);
    const r = await post({ ...o, status: 'paid' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('order_not_paid');
    expect(await countOrders(server.app.kiosk.db)).toBe(before);
  });

  it('refuses to change the lines while a payment for the order is open, but still replays', async () => {
    const o = newOrder();
    expect((await post(o)).status).toBe(201);
    const pay = await kiosk.pay({ orderId: o.id, amount: usd(1025), mode: 'cpm', code: await kiosk.walletCode() });
    expect(pay.body.status).toBe('pending');
    const edit = await post({ ...o, lines: [o.lines[0]], total: usd(900) });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('order_has_open_payment');
    expect((await post({ ...o, status: 'paying' })).status).toBe(200);
    const replay = await post({ ...o, status: 'paying' });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ status: 'paying', total: usd(1025) });
    await kiosk.cancel(pay.body.id);
  });

  it('keeps terminals apart: the same client id from another tablet is another order', async () => {
    const other = new Kiosk(server.baseUrl, (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code)).token);
    const o = newOrder();
    expect((await post(o)).status).toBe(201);
    expect((await post({ ...o, status: 'parked' }, other)).status).toBe(201);
    const mine = await kiosk.request('GET', '/api/orders?status=parked,queued');
    expect(mine.body.orders.find((x: { id: string }) => x.id === o.id).status).toBe('queued');
    const theirs = await other.request('GET', '/api/orders');
    expect(theirs.body.orders.map((x: { id: string }) => x.id)).toEqual([o.id]);
  });

  it('needs the terminal token', async () => {
    const r = await kiosk.request('POST', '/api/orders', { body: newOrder(), auth: false });
    expect(r.status).toBe(401);
    expect((await kiosk.request('GET', '/api/orders', { auth: false })).status).toBe(401);
  });
});

describe('GET /api/orders', () => {
  it('rejects an unknown status filter and a bad limit', async () => {
    expect((await kiosk.request('GET', '/api/orders?status=synced')).status).toBe(400);
    expect((await kiosk.request('GET', '/api/orders?limit=0')).status).toBe(400);
  });
});
