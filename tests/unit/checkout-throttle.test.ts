// The kiosk honours "slow down" from the proxy (issue 9): a 429 with Retry-After is read by the API client, and
// the checkout core waits it out — the same request with the same key, never sooner — instead of hammering or
// failing the sale, showing the cashier a calm "waiting" phase meanwhile.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../src/lib/api/client';
import { ApiError, NetworkError } from '../../src/lib/api/errors';
import type { PaymentTransport, PaymentUpdates } from '../../src/lib/checkout/attempt-types';
import { CpmAttempt, initialFlowState } from '../../src/lib/checkout/cpm-attempt';
import { statusView } from '../../src/lib/checkout/status';
import type { CreatePaymentRequest, PaymentView } from '../../src/shared/api';
import type { PaymentStatus } from '../../src/shared/payment';

const USD = (value: number) => ({ value, currency: 'USD' });
const ALIPAY = '281234567890120001';

function view(status: PaymentStatus): PaymentView {
  return {
    id: 'pay_1',
    orderId: 'order-1',
    status,
    mode: 'cpm',
    provider: 'pockyt',
    vendor: 'alipay',
    amount: USD(1250),
    refundedAmount: USD(0),
    providerRef: 'TXN1',
    needsAttention: false,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  };
}

const slowDown = (seconds: number) =>
  new ApiError('rate_limited', `This tablet is sending too many requests. Try again in ${seconds} s.`, 429, undefined, seconds * 1000);

class Transport implements PaymentTransport {
  creates: { req: CreatePaymentRequest; key: string; at: number }[] = [];
  gets: number[] = [];
  cancels: string[] = [];
  onCreate: (() => Promise<PaymentView>)[] = [];
  onGet: (() => Promise<PaymentView>)[] = [];
  createPayment(req: CreatePaymentRequest, key: string) {
    this.creates.push({ req, key, at: Date.now() });
    return this.onCreate.shift()?.() ?? Promise.reject(new Error('unexpected create'));
  }
  getPayment() {
    this.gets.push(Date.now());
    return this.onGet.shift()?.() ?? Promise.reject(new NetworkError('no server'));
  }
  cancelPayment(id: string) {
    this.cancels.push(id);
    return Promise.resolve(view('cancelled'));
  }
}

const streamDown: PaymentUpdates = { subscribe: () => () => {}, isConnected: () => false };

function setup() {
  const api = new Transport();
  const state = initialFlowState('order-1', USD(1250));
  let k = 0;
  const flow = new CpmAttempt(state, { api, events: streamDown, acceptedVendors: ['alipay'], newKey: () => `key-${++k}` });
  return { api, state, flow };
}

describe('the API client reads Retry-After', () => {
  const answering = (status: number, body: unknown, headers: Record<string, string>) =>
    createApiClient({ getToken: () => 't', fetch: async () => new Response(JSON.stringify(body), { status, headers }) });

  it('a 429 carries how long to wait (seconds or an HTTP date); a PIN lockout is not something to wait out', async () => {
    const err = (p: Promise<unknown>): Promise<ApiError> =>
      p.then(
        () => expect.fail('expected a refusal'),
        (e: unknown) => (e instanceof ApiError ? e : expect.fail(`not an ApiError: ${String(e)}`)),
      );
    const limited = await err(
      answering(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '7' }).getPayment('p'),
    );
    expect([limited.code, limited.retryAfterMs, limited.throttleMs]).toEqual(['rate_limited', 7000, 7000]);

    const dated = await err(answering(429, {}, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }).getPayment('p'));
    expect(dated.throttleMs).toBeGreaterThan(28_000);
    expect(dated.throttleMs).toBeLessThanOrEqual(30_000);

    expect((await err(answering(429, {}, {}).getPayment('p'))).throttleMs).toBe(1000);
    const locked = await err(
      answering(429, { error: { code: 'pin_locked', message: 'locked' } }, { 'retry-after': '600' }).getPayment('p'),
    );
    expect(locked.throttleMs).toBeNull();
    expect(
      (await err(answering(400, { error: { code: 'bad', message: 'no' } }, { 'retry-after': '5' }).getPayment('p'))).throttleMs,
    ).toBeNull();
  });
});

describe('the checkout core waits out a 429', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('on creating a payment: waits the Retry-After, then sends the same request with the same key; the sale goes on', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [() => Promise.reject(slowDown(3)), () => Promise.resolve(view('pending'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('waiting');
    expect(state.error).toBeNull();
    expect(statusView('waiting', 'alipay').hint).toMatch(/wait a moment.*nothing is lost/i);
    flow.wake(); // the network coming back does not cut the proxy's wait short
    await vi.advanceTimersByTimeAsync(2999);
    expect(api.creates).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.creates.map((c) => c.key)).toEqual(['key-1', 'key-1']);
    expect(api.creates[1].at - api.creates[0].at).toBe(3000);
    expect(state.phase).toBe('pending');
    flow.dispose();
  });

  it('Cancel while waiting ends at once: nothing reached the payment code, so nothing can be charged', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [() => Promise.reject(slowDown(30))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    flow.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.creates).toHaveLength(1);
    expect(api.cancels).toEqual([]);
  });

  it('after a lost answer the wait is still honoured, but Cancel must find out whether the first send landed', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [
      () => Promise.reject(new NetworkError('offline')),
      () => Promise.reject(slowDown(5)),
      () => Promise.resolve(view('pending')),
    ];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(500); // the first backoff
    expect(state.phase).toBe('waiting');
    flow.cancel();
    expect(state.phase).toBe('cancelling');
    await vi.advanceTimersByTimeAsync(0);
    // The resend (same key) finds the payment the lost answer made; it is cancelled at the provider.
    expect(api.creates.map((c) => c.key)).toEqual(['key-1', 'key-1', 'key-1']);
    expect(api.cancels).toEqual(['pay_1']);
    expect(state.phase).toBe('cancelled');
    flow.dispose();
  });

  it('polling a payment while the stream is down: no poll sooner than the Retry-After', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [() => Promise.resolve(view('pending'))];
    api.onGet = [() => Promise.reject(slowDown(4)), () => Promise.resolve(view('succeeded'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(500);
    expect(api.gets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3999);
    expect(api.gets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.gets).toHaveLength(2);
    expect(state.phase).toBe('paid');
  });
});
