// A reopened order's lines are saved before its payment is journaled, so the order the proxy is told is paid
// always matches the amount charged; a paid order is never charged again; line conversion round-trips.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { journalAttempt, recordAttempt } from '../../src/lib/offline/journal';
import { orderQueue, OrderStateError } from '../../src/lib/offline/queue';
import { syncOrderLines, toCartLines } from '../../src/lib/offline/sale-orders';
import { toOrderLines } from '../../src/lib/offline/orders';

const usd = (value: number) => ({ value, currency: 'USD' });
const line = (minor: number, qty = 1) => ({ sku: null, name: 'Open amount', unitPrice: usd(minor), qty });

describe('sale ↔ saved order', () => {
  it('stores edited lines of a reopened order before payment, and leaves unchanged or unsaved orders alone', async () => {
    const id = randomUUID();
    await orderQueue.queue({ id, lines: [line(500)] });
    await orderQueue.reopen(id);
    const before = (await orderQueue.get(id))!;
    await syncOrderLines(id, [line(500)]);
    expect((await orderQueue.get(id))!.revision).toBe(before.revision);

    await syncOrderLines(id, [line(500), line(250, 2)]);
    const after = (await orderQueue.get(id))!;
    expect(after.total).toEqual(usd(1000));
    expect(after.status).toBe('open');

    await expect(syncOrderLines(randomUUID(), [line(100)])).resolves.toBeUndefined();
  });

  it('refuses to charge an order that is already paid here', async () => {
    const id = randomUUID();
    await orderQueue.park({ id, lines: [line(700)] });
    await orderQueue.markPaid(id, 'pay_x');
    const err = await syncOrderLines(id, [line(700)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderStateError);
    expect(String((err as Error).message)).toMatch(/already paid/);
  });

  it('clears a stale "paying" flag (its attempt ended) but keeps it while the attempt is unresolved', async () => {
    const id = randomUUID();
    await orderQueue.queue({ id, lines: [line(300)] });
    await orderQueue.markPaying(id);
    await journalAttempt({ idempotencyKey: 'k-' + id, orderId: id, amount: usd(300), mode: 'cpm' });
    await syncOrderLines(id, [line(300), line(1)]);
    expect((await orderQueue.get(id))!).toMatchObject({ status: 'paying', total: usd(300) });

    await recordAttempt('k-' + id, { status: 'failed' });
    await syncOrderLines(id, [line(300), line(1)]);
    expect((await orderQueue.get(id))!).toMatchObject({ status: 'open', total: usd(301) });
  });

  it('converts saved lines to cart lines and back without changing money', () => {
    const cart = toCartLines(toOrderLines([line(199, 3), { sku: 'coffee', name: 'Coffee', unitPrice: usd(450), qty: 1 }]));
    expect(cart.map((l) => [l.sku, l.name, l.unitPrice.value, l.qty])).toEqual([
      [null, 'Open amount', 199, 3],
      ['coffee', 'Coffee', 450, 1],
    ]);
    expect(new Set(cart.map((l) => l.id)).size).toBe(2);
    expect(toOrderLines(cart)).toEqual(toOrderLines([line(199, 3), { sku: 'coffee', name: 'Coffee', unitPrice: usd(450), qty: 1 }]));
  });
});
