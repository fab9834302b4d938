// A provider's "reversed" (all the money back) for a paid payment that has refund rows of its own
// (server/payments/outcome.ts recordVerdict). Only refunds that add up to the whole amount explain it; a
// refund still open for part of it is not money already returned (issue 9: a void's answer was dropped
// because a concurrent 400 refund row was still `created`, and the books kept 0 returned of 1000).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentStatus } from '../../src/shared/payment.ts';
import { EventBus } from '../../server/events/bus.ts';
import { ATTENTION } from '../../server/payments/attention.ts';
import { recordVerdict } from '../../server/payments/outcome.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { getPayment, insertPayment } from '../../server/store/payments.ts';
import { insertRefund, type RefundStatus } from '../../server/store/refunds.ts';

let store: Store;
let seq = 0;
const run = randomUUID().slice(0, 8);
const T1 = `t1-${run}`;
const deps = () => ({ db: store.db, bus: new EventBus() });
const reversed = { status: 'reversed' as const, raw: { refundAmount: '10.00' } };

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

/** A payment of 1000 in `status` with refund rows of the given amounts and statuses. */
async function paidWithRefunds(status: PaymentStatus, refunds: [number, RefundStatus][]): Promise<string> {
  const id = `p${++seq}-${run}`;
  await insertPayment(store.db, {
    id,
    terminalId: T1,
    orderId: `o${seq}`,
    idempotencyKey: `k${seq}`,
    requestHash: 'h',
    mode: 'cpm',
    provider: 'pockyt',
    vendor: 'alipay',
    amount: { value: 1000, currency: 'USD' },
    reference: `ref-${seq}-${run}`,
    codeMasked: null,
    now: new Date().toISOString(),
  });
  const succeeded = refunds.filter(([, s]) => s === 'succeeded').reduce((sum, [v]) => sum + v, 0);
  await store.db.updateTable('payments').set({ status, refunded_value: succeeded }).where('id', '=', id).execute();
  for (const [i, [value, st]] of refunds.entries()) {
    const rid = `${id}-r${i}`;
    await insertRefund(store.db, {
      id: rid,
      paymentId: id,
      terminalId: T1,
      idempotencyKey: rid,
      requestHash: 'h',
      refundReference: `kr-${rid}`,
      amount: { value, currency: 'USD' },
      staffId: null,
      createdAt: new Date().toISOString(),
    });
    await store.db.updateTable('refunds').set({ status: st }).where('id', '=', rid).execute();
  }
  return id;
}

describe('recordVerdict: reversed, with refunds of our own', () => {
  it('a refund still open for part of the amount does not explain it: the payment is reversed', async () => {
    const id = await paidWithRefunds('succeeded', [[400, 'created']]);
    const r = await recordVerdict(deps(), id, reversed, 'cashier');
    expect(r.applied).toBe(true);
    expect((await getPayment(store.db, id))!.status).toBe('reversed');
  });

  it('our refunds adding up to the whole amount do: their rows settle it (refunded), nothing is written now', async () => {
    const open = await paidWithRefunds('succeeded', [[1000, 'unknown']]);
    expect((await recordVerdict(deps(), open, reversed, 'webhook')).noop).toBe(true);
    const split = await paidWithRefunds('partially_refunded', [
      [600, 'succeeded'],
      [400, 'pending'],
    ]);
    expect((await recordVerdict(deps(), split, reversed, 'poll')).noop).toBe(true);
    expect((await getPayment(store.db, open))!.status).toBe('succeeded');
    expect((await listPaymentEvents(store.db, split)).filter((e) => e.to === 'reversed')).toEqual([]);
  });

  it('a failed refund is no money back at all', async () => {
    const id = await paidWithRefunds('succeeded', [[1000, 'failed']]);
    await recordVerdict(deps(), id, reversed, 'reconciler');
    expect((await getPayment(store.db, id))!.status).toBe('reversed');
  });

  it('partly refunded here, all of it back at the provider: the table cannot follow, so staff are asked to look', async () => {
    const id = await paidWithRefunds('partially_refunded', [[300, 'succeeded']]);
    const r = await recordVerdict(deps(), id, reversed, 'poll');
    expect(r.applied).toBe(false);
    expect(r.payment).toMatchObject({ status: 'partially_refunded', needsAttention: true, attentionReason: ATTENTION.returnedElsewhere });
    const events = await listPaymentEvents(store.db, id);
    expect(events.filter((e) => e.to === 'reversed').map((e) => e.applied)).toEqual([false]);
  });
});
