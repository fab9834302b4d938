// The per-payment hold of an action that can move money — a void, a cancel (server/store/action-claims.ts): a compare-and-set in
// the database, so it holds between requests, proxies and restarts — not a Set in one process's memory.
// Set TEST_DATABASE_URL=postgres://… to run it against Postgres (truly concurrent transactions there).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentStatus } from '../../src/shared/payment.ts';
import { listClaimed, releaseClaim, takeClaim } from '../../server/store/action-claims.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { getPayment, insertPayment } from '../../server/store/payments.ts';

let store: Store;
let seq = 0;
const run = randomUUID().slice(0, 8);
const T1 = `t1-${run}`;

beforeAll(async () => {
  store = await openMigratedStore(process.env.TEST_DATABASE_URL || 'sqlite::memory:');
  await store.db
    .insertInto('terminals')
    .values({
      id: T1,
      store_id: 'demo-us',
      name: 'T',
      token_hash: `h-${run}`,
      created_at: new Date().toISOString(),
      revoked_at: null,
    })
    .execute();
});
afterAll(async () => store?.close());

async function paymentIn(status: PaymentStatus): Promise<string> {
  const id = `p${++seq}-${run}`;
  await insertPayment(store.db, {
    id,
    terminalId: T1,
    orderId: `o${seq}-${run}`,
    idempotencyKey: `k${seq}`,
    requestHash: 'h',
    mode: 'cpm',
    provider: 'pockyt',
    vendor: 'alipay',
    amount: { value: 100, currency: 'USD' },
    reference: `ref-${seq}-${run}`,
    codeMasked: null,
    now: new Date().toISOString(),
  });
  await store.db.updateTable('payments').set({ status }).where('id', '=', id).execute();
  return id;
}

const take = (id: string, status: PaymentStatus = 'succeeded') =>
  store.db.transaction().execute((trx) => takeClaim(trx, id, 'void', status));

describe('action claims', () => {
  it('one holder at a time; only the holder lets go; the payment row shows who holds it', async () => {
    const id = await paymentIn('succeeded');
    const first = await take(id);
    expect(first).toMatchObject({ kind: 'void', id: expect.any(String) });
    expect(await take(id)).toBeNull();
    expect((await getPayment(store.db, id))!.claim).toEqual(first);
    expect(await releaseClaim(store.db, id, { ...first!, id: 'someone-else' })).toBe(false);
    expect(await releaseClaim(store.db, id, first!)).toBe(true);
    expect((await getPayment(store.db, id))!.claim).toBeNull();
    expect(await take(id)).not.toBeNull();
  });

  it('is refused when the payment is no longer in the status the action needs', async () => {
    expect(await take(await paymentIn('partially_refunded'))).toBeNull();
    expect(await take(await paymentIn('reversed'))).toBeNull();
  });

  it('many transactions racing for one payment: exactly one takes it', async () => {
    const id = await paymentIn('succeeded');
    const results = await Promise.all(Array.from({ length: 8 }, () => take(id)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('a rolled-back transaction leaves no claim behind', async () => {
    const id = await paymentIn('succeeded');
    await expect(
      store.db.transaction().execute(async (trx) => {
        expect(await takeClaim(trx, id, 'void', 'succeeded')).not.toBeNull();
        throw new Error('refund found: not allowed');
      }),
    ).rejects.toThrow('refund found');
    expect((await getPayment(store.db, id))!.claim).toBeNull();
  });

  it('a cancel takes an open payment in any of its statuses, and holds it against a void once it is paid', async () => {
    const cancel = (id: string) => store.db.transaction().execute((trx) => takeClaim(trx, id, 'cancel', ['pending', 'unknown']));
    expect(await cancel(await paymentIn('pending'))).toMatchObject({ kind: 'cancel' });
    expect(await cancel(await paymentIn('unknown'))).toMatchObject({ kind: 'cancel' });
    expect(await cancel(await paymentIn('created'))).toBeNull();
    expect(await cancel(await paymentIn('succeeded'))).toBeNull();
    const id = await paymentIn('pending');
    expect(await cancel(id)).not.toBeNull();
    // The customer paid while the cancel was out: the cancel may be returning the money; no void may start.
    await store.db.updateTable('payments').set({ status: 'succeeded' }).where('id', '=', id).execute();
    expect(await take(id)).toBeNull();
    expect(await listClaimed(store.db, 'cancel')).toContain(id);
    expect(await listClaimed(store.db, 'void')).not.toContain(id);
  });

  it('lists the payments held by an action, for the follow-up after a restart', async () => {
    const held = await paymentIn('succeeded');
    const free = await paymentIn('succeeded');
    await take(held);
    const listed = await listClaimed(store.db, 'void');
    expect(listed).toContain(held);
    expect(listed).not.toContain(free);
  });
});
