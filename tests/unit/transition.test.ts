// The one write path, against a real in-memory SQLite store: every (from, to) pair of the 10×10 table.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../src/shared/payment.ts';
import { EventBus, type PaymentUpdate } from '../../server/events/bus.ts';
import { applyTransition, PaymentNotFoundError, setAttention } from '../../server/payments/transition.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { getPayment, insertPayment } from '../../server/store/payments.ts';

// DESIGN §6, written out independently of src/shared/payment.ts so a drift in either shows up here.
const ALLOWED: Record<PaymentStatus, PaymentStatus[]> = {
  created: ['pending', 'succeeded', 'failed', 'unknown', 'cancelled'],
  pending: ['succeeded', 'failed', 'cancelled', 'expired', 'unknown'],
  unknown: ['pending', 'succeeded', 'failed', 'cancelled', 'expired', 'reversed'],
  expired: ['succeeded'],
  succeeded: ['reversed', 'partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  failed: [],
  cancelled: [],
  reversed: [],
  refunded: [],
};

let store: Store;
let seq = 0;
// Set TEST_DATABASE_URL=postgres://… to run the same table against Postgres.
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
    orderId: `o${seq}`,
    idempotencyKey: `k${seq}`,
    requestHash: 'h',
    mode: 'cpm',
    provider: 'pockyt',
    vendor: 'alipay',
    amount: { value: 100, currency: 'USD' },
    reference: `ref-${seq}-${run}`,
    codeMasked: null,
    now: '2026-01-01T00:00:00.000Z',
  });
  // Test setup only: place the row in the starting state directly.
  await store.db.updateTable('payments').set({ status }).where('id', '=', id).execute();
  return id;
}

describe('applyTransition: every pair', () => {
  for (const from of PAYMENT_STATUSES) {
    for (const to of PAYMENT_STATUSES) {
      const allowed = ALLOWED[from].includes(to);
      // Hearing the status a payment already has (a poll finding it still pending) is no change at all.
      const noop = !allowed && from === to;
      it(`${from} → ${to} is ${allowed ? 'applied' : noop ? 'a no-op that writes nothing' : 'refused and recorded'}`, async () => {
        const id = await paymentIn(from);
        const bus = new EventBus();
        const published: PaymentUpdate[] = [];
        bus.subscribe(T1, (u) => published.push(u));
        const r = await applyTransition(store.db, bus, { paymentId: id, to, source: 'poll', raw: { said: to } });
        expect(r.applied).toBe(allowed);
        expect(r.noop).toBe(noop);
        expect(r.from).toBe(from);
        const after = await getPayment(store.db, id);
        expect(after?.status).toBe(allowed ? to : from);
        expect(after?.updatedAt === '2026-01-01T00:00:00.000Z').toBe(!allowed);
        const events = await listPaymentEvents(store.db, id);
        if (noop) {
          expect(r.eventId).toBeNull();
          expect(events).toEqual([]);
        } else {
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({ id: r.eventId, from, to, source: 'poll', applied: allowed, payload: { said: to } });
        }
        expect(published.map((u) => [u.eventId, u.payment.status])).toEqual(allowed ? [[r.eventId, to]] : []);
      });
    }
  }
});

describe('applyTransition: details', () => {
  it('marks a payment that lands after expiry as late and raises it for staff', async () => {
    const id = await paymentIn('expired');
    const r = await applyTransition(store.db, null, { paymentId: id, to: 'succeeded', source: 'webhook', raw: {} });
    expect(r.payment).toMatchObject({ status: 'succeeded', late: true, needsAttention: true, attentionReason: 'late_payment' });
  });

  it('clears a "provider not answering" flag with the verdict that shows it answered, but not with `unknown`', async () => {
    const a = await paymentIn('pending');
    await setAttention(store.db, null, { paymentId: a, on: true, reason: 'provider_not_answering', source: 'reconciler' });
    const stillUnknown = await applyTransition(store.db, null, { paymentId: a, to: 'unknown', source: 'reconciler', raw: {} });
    expect(stillUnknown.payment).toMatchObject({ status: 'unknown', needsAttention: true });
    const answered = await applyTransition(store.db, null, { paymentId: a, to: 'succeeded', source: 'webhook', raw: {} });
    expect(answered.payment).toMatchObject({ status: 'succeeded', needsAttention: false, attentionReason: null });

    const b = await paymentIn('pending');
    await setAttention(store.db, null, { paymentId: b, on: true, reason: 'amount_mismatch', source: 'webhook' });
    const other = await applyTransition(store.db, null, { paymentId: b, to: 'failed', source: 'poll', raw: {} });
    expect(other.payment).toMatchObject({ needsAttention: true, attentionReason: 'amount_mismatch' });
  });

  it('repeating the current status writes no row, while a refused one is recorded', async () => {
    const id = await paymentIn('pending');
    for (let i = 0; i < 3; i++) await applyTransition(store.db, null, { paymentId: id, to: 'pending', source: 'poll', raw: {} });
    await applyTransition(store.db, null, { paymentId: id, to: 'succeeded', source: 'poll', raw: {} });
    await applyTransition(store.db, null, { paymentId: id, to: 'pending', source: 'webhook', raw: { stale: true } });
    expect((await listPaymentEvents(store.db, id)).map((e) => [e.from, e.to, e.applied])).toEqual([
      ['pending', 'succeeded', true],
      ['succeeded', 'pending', false],
    ]);
  });

  it('setAttention raises and clears the flag with one event row each, published after commit', async () => {
    const id = await paymentIn('pending');
    const bus = new EventBus();
    const published: PaymentUpdate[] = [];
    bus.subscribe(T1, (u) => published.push(u));
    const on = await setAttention(store.db, bus, { paymentId: id, on: true, reason: 'provider_not_answering', source: 'reconciler' });
    const again = await setAttention(store.db, bus, { paymentId: id, on: true, reason: 'provider_not_answering', source: 'reconciler' });
    const wrongReason = await setAttention(store.db, bus, { paymentId: id, on: false, source: 'reconciler', onlyIfReason: 'late_payment' });
    const off = await setAttention(store.db, bus, { paymentId: id, on: false, source: 'reconciler' });
    expect([on.changed, again.changed, wrongReason.changed, off.changed]).toEqual([true, false, false, true]);
    expect(on.payment).toMatchObject({ needsAttention: true, attentionReason: 'provider_not_answering', status: 'pending' });
    expect(off.payment).toMatchObject({ needsAttention: false, attentionReason: null });
    expect(published.map((u) => u.payment.needsAttention)).toEqual([true, false]);
    const events = await listPaymentEvents(store.db, id);
    expect(events.map((e) => [e.from, e.to, e.applied, (e.payload as { needsAttention: boolean }).needsAttention])).toEqual([
      ['pending', 'pending', true, true],
      ['pending', 'pending', true, false],
    ]);
    expect(published.map((u) => u.eventId)).toEqual(events.map((e) => e.id));
  });

  it('stores providerRef and the failure reason with a decline', async () => {
    const id = await paymentIn('pending');
    const r = await applyTransition(store.db, null, {
      paymentId: id,
      to: 'failed',
      source: 'sync',
      raw: {},
      providerRef: 'T123',
      failure: { code: 'declined', message: 'No funds' },
    });
    expect(r.payment).toMatchObject({ providerRef: 'T123', failure: { code: 'declined', message: 'No funds' } });
  });

  it('does not let a stale answer overwrite a final state (and keeps its fields)', async () => {
    const id = await paymentIn('created');
    await applyTransition(store.db, null, { paymentId: id, to: 'succeeded', source: 'sync', raw: {}, providerRef: 'T1' });
    const stale = await applyTransition(store.db, null, { paymentId: id, to: 'pending', source: 'poll', raw: {}, providerRef: 'T2' });
    expect(stale.applied).toBe(false);
    expect(stale.payment).toMatchObject({ status: 'succeeded', providerRef: 'T1' });
  });

  it('publishes only after commit: a subscriber reading the store sees the new state', async () => {
    const id = await paymentIn('pending');
    const bus = new EventBus();
    const seen: (string | undefined)[] = [];
    bus.subscribe(T1, () => {
      void getPayment(store.db, id).then((p) => seen.push(p?.status));
    });
    await applyTransition(store.db, bus, { paymentId: id, to: 'succeeded', source: 'poll', raw: {} });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['succeeded']);
  });

  it('serialises concurrent transitions: exactly one of two racing verdicts wins', async () => {
    const id = await paymentIn('pending');
    const [a, b] = await Promise.all([
      applyTransition(store.db, null, { paymentId: id, to: 'succeeded', source: 'poll', raw: {} }),
      applyTransition(store.db, null, { paymentId: id, to: 'cancelled', source: 'cashier', raw: {} }),
    ]);
    expect([a.applied, b.applied].filter(Boolean)).toHaveLength(1);
    expect((await listPaymentEvents(store.db, id)).map((e) => e.applied)).toEqual([true, false]);
  });

  it('throws for a payment that does not exist, writing nothing', async () => {
    await expect(applyTransition(store.db, null, { paymentId: 'nope', to: 'failed', source: 'poll', raw: {} })).rejects.toBeInstanceOf(
      PaymentNotFoundError,
    );
    expect(await listPaymentEvents(store.db, 'nope')).toEqual([]);
  });
});
