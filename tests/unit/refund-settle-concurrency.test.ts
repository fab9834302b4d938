// Refunds of one payment settling at the same time (server/payments/refund-settle.ts). The payment's refunded
// total is recomputed from its succeeded refund rows; on Postgres (READ COMMITTED) two settles that each read
// the rows before the other committed would each write only their own sum, and the last one would win
// (seen as 500 of 1500 in refund-restart on Postgres). Each settle takes the payment row's lock first.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../server/events/bus.ts';
import { settleRefund } from '../../server/payments/refund-settle.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { getPayment, insertPayment } from '../../server/store/payments.ts';
import { insertRefund } from '../../server/store/refunds.ts';

let store: Store;
const run = randomUUID().slice(0, 8);
const T1 = `t1-${run}`;

beforeAll(async () => {
  store = await openMigratedStore(process.env.TEST_DATABASE_URL || 'sqlite::memory:');
  await store.db
    .insertInto('terminals')
    .values({ id: T1, store_id: 'demo-us', name: 'T', token_hash: `h-${run}`, created_at: new Date().toISOString(), revoked_at: null })
    .execute();
});
afterAll(async () => store?.close());

async function paidWithOpenRefunds(n: number, each: number, round: number): Promise<{ id: string; refunds: string[] }> {
  const id = `p${round}-${run}`;
  await insertPayment(store.db, {
    id,
    terminalId: T1,
    orderId: `o${round}`,
    idempotencyKey: `k${round}`,
    requestHash: 'h',
    mode: 'cpm',
    provider: 'pockyt',
    vendor: 'alipay',
    amount: { value: n * each + 1, currency: 'USD' },
    reference: `ref-${round}-${run}`,
    codeMasked: null,
    now: new Date().toISOString(),
  });
  await store.db.updateTable('payments').set({ status: 'succeeded' }).where('id', '=', id).execute();
  const refunds: string[] = [];
  for (let i = 0; i < n; i++) {
    const rid = `${id}-r${i}`;
    await insertRefund(store.db, {
      id: rid,
      paymentId: id,
      terminalId: T1,
      idempotencyKey: rid,
      requestHash: 'h',
      refundReference: `kr-${rid}`,
      amount: { value: each, currency: 'USD' },
      staffId: null,
      createdAt: new Date().toISOString(),
    });
    refunds.push(rid);
  }
  return { id, refunds };
}

describe('settleRefund, several refunds of one payment at once', () => {
  it('the payment ends with the sum of all of them, every time', async () => {
    const bus = new EventBus();
    for (let round = 0; round < 8; round++) {
      const { id, refunds } = await paidWithOpenRefunds(3, 500, round);
      await Promise.all(refunds.map((rid) => settleRefund(store.db, bus, rid, { status: 'succeeded', raw: {} }, 'reconciler')));
      const p = await getPayment(store.db, id);
      expect(p).toMatchObject({ status: 'partially_refunded', refunded: { value: 1500, currency: 'USD' } });
    }
  });
});
