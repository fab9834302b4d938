// The payment-attempt journal: written before the first send, one unresolved attempt per order, resumable.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closeKioskDb, withDb } from '../../src/lib/offline/db';
import {
  AttemptBlockedError,
  attemptsForOrder,
  isUnresolved,
  journalAttempt,
  openAttempts,
  pruneAttempts,
  recordAttempt,
  unresolvedAttempt,
} from '../../src/lib/offline/journal';

const usd = (value: number) => ({ value, currency: 'USD' });
const fresh = () => `kiosk-journal-${randomUUID()}`;

describe('attempt journal', () => {
  it('records an attempt as sending, returns it for a retry of the same key, and lists it as open', async () => {
    const db = fresh();
    const a = { idempotencyKey: randomUUID(), orderId: 'order-1', amount: usd(1250), mode: 'cpm' as const, vendor: 'alipay' as const };
    const rec = await journalAttempt(a, db);
    expect(rec).toMatchObject({ status: 'sending', orderId: 'order-1', amount: usd(1250), vendor: 'alipay', provider: null });
    expect(await journalAttempt(a, db)).toEqual(rec);
    expect((await openAttempts(db)).map((r) => r.idempotencyKey)).toEqual([a.idempotencyKey]);
    // After a "crash": a new connection still sees the attempt.
    closeKioskDb(db);
    expect((await unresolvedAttempt('order-1', db))?.idempotencyKey).toBe(a.idempotencyKey);
  });

  it('refuses a second attempt for an order while the first is unresolved, allows it once that failed', async () => {
    const db = fresh();
    const first = await journalAttempt({ idempotencyKey: 'k1', orderId: 'o', amount: usd(100), mode: 'cpm' }, db);
    await recordAttempt('k1', { status: 'pending', paymentId: 'pay_1', providerRef: 'T1' }, db);
    const blocked = await journalAttempt({ idempotencyKey: 'k2', orderId: 'o', amount: usd(100), mode: 'cpm' }, db).catch(
      (e: unknown) => e,
    );
    expect(blocked).toBeInstanceOf(AttemptBlockedError);
    expect((blocked as AttemptBlockedError).existing.idempotencyKey).toBe(first.idempotencyKey);
    expect(await attemptsForOrder('o', db)).toHaveLength(1);

    const failed = await recordAttempt('k1', { status: 'failed' }, db);
    expect(failed).toMatchObject({ status: 'failed', paymentId: 'pay_1', providerRef: 'T1' });
    await journalAttempt({ idempotencyKey: 'k2', orderId: 'o', amount: usd(100), mode: 'cpm' }, db);
    expect((await attemptsForOrder('o', db)).map((r) => [r.idempotencyKey, r.status])).toEqual([
      ['k1', 'failed'],
      ['k2', 'sending'],
    ]);
  });

  it('lets exactly one of two racing attempts for the same order through (two tabs)', async () => {
    const db = fresh();
    const results = await Promise.allSettled(
      ['ka', 'kb', 'kc'].map((k) => journalAttempt({ idempotencyKey: k, orderId: 'race', amount: usd(5), mode: 'cpm' }, db)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof AttemptBlockedError)).toHaveLength(2);
    expect(await attemptsForOrder('race', db)).toHaveLength(1);
  });

  it('ignores updates for unknown keys and prunes only old resolved attempts', async () => {
    const db = fresh();
    expect(await recordAttempt('nope', { status: 'succeeded' }, db)).toBeUndefined();
    await journalAttempt({ idempotencyKey: 'old-done', orderId: 'a', amount: usd(1), mode: 'cpm' }, db);
    await recordAttempt('old-done', { status: 'succeeded' }, db);
    await journalAttempt({ idempotencyKey: 'old-open', orderId: 'b', amount: usd(1), mode: 'cpm' }, db);
    const past = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await withDb(async (d) => {
      for (const k of ['old-done', 'old-open']) await d.put('attempts', { ...(await d.get('attempts', k))!, updatedAt: past });
    }, db);
    expect(await pruneAttempts(undefined, db)).toBe(1);
    expect((await openAttempts(db)).map((r) => r.idempotencyKey)).toEqual(['old-open']);
  });

  it('never moves an attempt backwards when answers arrive out of order (a slow poll after a push)', async () => {
    const db = fresh();
    await journalAttempt({ idempotencyKey: 'k', orderId: 'o', amount: usd(100), mode: 'cpm' }, db);
    await recordAttempt('k', { status: 'pending', paymentId: 'pay_1' }, db);
    await recordAttempt('k', { status: 'succeeded', paymentId: 'pay_1', providerRef: 'T9' }, db);
    const stale = await recordAttempt('k', { status: 'pending', paymentId: 'pay_1' }, db);
    expect(stale).toMatchObject({ status: 'succeeded', providerRef: 'T9' });
    expect(await unresolvedAttempt('o', db)).toBeUndefined();
    // A legal move onwards is still recorded.
    expect(await recordAttempt('k', { status: 'refunded' }, db)).toMatchObject({ status: 'refunded' });
  });

  it('treats sending/created/pending/unknown as unresolved', () => {
    expect(['sending', 'created', 'pending', 'unknown'].every((s) => isUnresolved(s as never))).toBe(true);
    expect(['succeeded', 'failed', 'cancelled', 'expired', 'refunded'].some((s) => isUnresolved(s as never))).toBe(false);
  });
});
