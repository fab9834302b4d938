// What a provider's error does to a payment (server/payments/outcome.ts), against a real in-memory store,
// and the transition seam the crash tests use.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentStatus } from '../../src/shared/payment.ts';
import { EventBus } from '../../server/events/bus.ts';
import { crashHooksFromEnv } from '../../server/crash-hooks.ts';
import { noVerdict, recordProviderError, recordVerdict, refundOutcomeOfError } from '../../server/payments/outcome.ts';
import { ProviderError } from '../../server/providers/types.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { getPayment, insertPayment, type Payment } from '../../server/store/payments.ts';

let store: Store;
let seq = 0;
const run = randomUUID().slice(0, 8);
const T1 = `t1-${run}`;
const deps = () => ({ db: store.db, bus: new EventBus() });

beforeAll(async () => {
  store = await openMigratedStore('sqlite::memory:');
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

async function paymentIn(status: PaymentStatus): Promise<Payment> {
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
  await store.db.updateTable('payments').set({ status }).where('id', '=', id).execute();
  return (await getPayment(store.db, id))!;
}

const unknownErr = new ProviderError('pockyt_timeout', 'no answer', { outcomeUnknown: true, providerRef: 'T-9' });
const refused = new ProviderError('pockyt_000050', 'bad code', { outcomeUnknown: false });
const throttled = new ProviderError('centrapay_rate_limited', 'slow down', { outcomeUnknown: false, retryAfterMs: 2_500 });

describe('noVerdict', () => {
  it('reads outcomeUnknown, and rethrows what is not a provider error', () => {
    expect(noVerdict(unknownErr).outcome).toBe('unknown');
    expect(noVerdict(refused).outcome).toBe('refused');
    const ours = new Error('database is locked');
    expect(() => noVerdict(ours)).toThrow(ours);
  });
});

describe('recordProviderError', () => {
  it('a charge with an unknown outcome becomes unknown and keeps the provider id', async () => {
    const r = await recordProviderError(deps(), await paymentIn('created'), unknownErr, 'charge', 'sync');
    expect(r.outcome).toBe('unknown');
    expect(r.payment.status).toBe('unknown');
    expect(r.payment.providerRef).toBe('T-9');
  });

  it('a refused charge fails with the provider reason; a throttled one says nothing was charged', async () => {
    const a = await recordProviderError(deps(), await paymentIn('created'), refused, 'charge', 'sync');
    expect(a.payment.status).toBe('failed');
    expect(a.payment.failure).toEqual({ code: 'pockyt_000050', message: 'bad code' });
    const b = await recordProviderError(deps(), await paymentIn('created'), throttled, 'charge', 'sync');
    expect(b.payment.failure).toEqual({
      code: 'provider_busy',
      message: 'pockyt is busy right now and nothing was charged. Try again in 3 s.',
    });
  });

  it('a refused cancel changes nothing; a cancel with an unknown outcome makes the payment unknown', async () => {
    const p = await paymentIn('pending');
    const a = await recordProviderError(deps(), p, refused, 'cancel', 'cashier');
    expect(a.outcome).toBe('unchanged');
    expect((await getPayment(store.db, p.id))!.status).toBe('pending');
    const b = await recordProviderError(deps(), p, unknownErr, 'cancel', 'cashier');
    expect(b.payment.status).toBe('unknown');
  });

  it('passes the before-commit seam to the write, which then does not commit if it throws', async () => {
    const p = await paymentIn('created');
    const boom = () => {
      throw new Error('power cut');
    };
    await expect(recordProviderError(deps(), p, refused, 'charge', 'sync', { beforeCommit: boom })).rejects.toThrow('power cut');
    expect((await getPayment(store.db, p.id))!.status).toBe('created');
    await expect(recordVerdict(deps(), p.id, { status: 'succeeded', raw: {} }, 'sync', { beforeCommit: boom })).rejects.toThrow(
      'power cut',
    );
    expect((await getPayment(store.db, p.id))!.status).toBe('created');
  });
});

describe('refundOutcomeOfError', () => {
  it('leaves a refund open when the outcome is unknown and fails it when refused', () => {
    expect(refundOutcomeOfError(unknownErr).status).toBe('unknown');
    const failed = refundOutcomeOfError(refused);
    expect(failed.status).toBe('failed');
    expect(failed.failure).toEqual({ code: 'pockyt_000050', message: 'The provider refused the refund: bad code' });
  });
});

describe('crashHooksFromEnv', () => {
  it('gives no hooks to a process that is neither a test nor explicitly allowed', () => {
    expect(crashHooksFromEnv({ CRASH_AT: 'before_send' })).toBeUndefined();
    expect(crashHooksFromEnv({ NODE_ENV: 'production', CRASH_AT: 'before_write' })).toBeUndefined();
    expect(crashHooksFromEnv({ NODE_ENV: 'test' })).toBeUndefined();
    expect(crashHooksFromEnv({ NODE_ENV: 'test', CRASH_AT: 'somewhere' })).toBeUndefined();
  });

  it('arms only the named step', () => {
    const hooks = crashHooksFromEnv({ KIOSK_CRASH_HOOKS: '1', CRASH_AT: 'before_write' });
    expect(hooks).toBeDefined();
    // The other steps are harmless in this process (before_write itself would SIGKILL the test runner).
    hooks!.beforeSend();
    hooks!.whileCalling()();
  });
});
