import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialMpmState, MpmAttempt } from '../../src/lib/checkout/mpm-attempt';
import type { PaymentTransport, PaymentUpdates } from '../../src/lib/checkout/attempt-types';
import { ApiError, NetworkError } from '../../src/lib/api/errors';
import type { CreatePaymentRequest, MpmOption, PaymentView } from '../../src/shared/api';
import type { PaymentStatus } from '../../src/shared/payment';

const USD = (value: number) => ({ value, currency: 'USD' });
const ALIPAY_QR: MpmOption = { provider: 'pockyt', vendor: 'alipay', label: 'Alipay QR' };
const T0 = Date.parse('2025-01-01T00:00:00Z');

type Handler = (req: CreatePaymentRequest, key: string) => Promise<PaymentView>;

class FakeTransport implements PaymentTransport {
  creates: { req: CreatePaymentRequest; key: string }[] = [];
  gets: string[] = [];
  cancels: string[] = [];
  onCreate: Handler[] = [];
  onGet: ((id: string) => Promise<PaymentView>) | null = null;
  onCancel: ((id: string) => Promise<PaymentView>)[] = [];

  createPayment(req: CreatePaymentRequest, key: string): Promise<PaymentView> {
    this.creates.push({ req: structuredClone(req), key });
    const h = this.onCreate.shift();
    if (!h) throw new Error('unexpected createPayment');
    return h(req, key);
  }
  getPayment(id: string): Promise<PaymentView> {
    this.gets.push(id);
    return this.onGet ? this.onGet(id) : Promise.reject(new NetworkError('no server'));
  }
  cancelPayment(id: string): Promise<PaymentView> {
    this.cancels.push(id);
    const h = this.onCancel.shift();
    return h ? h(id) : Promise.reject(new NetworkError('no server'));
  }
}

class FakeUpdates implements PaymentUpdates {
  listeners = new Set<(p: PaymentView) => void>();
  subscribe(cb: (p: PaymentView) => void) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  isConnected() {
    return true;
  }
  push(p: PaymentView) {
    for (const cb of [...this.listeners]) cb(p);
  }
}

function qrView(status: PaymentStatus, over: Partial<PaymentView> = {}): PaymentView {
  return {
    id: 'pay_1',
    orderId: 'order-1',
    status,
    mode: 'mpm',
    provider: 'pockyt',
    vendor: 'alipay',
    amount: USD(1250),
    refundedAmount: USD(0),
    providerRef: 'TXN1',
    needsAttention: false,
    qr: { payload: 'https://example.test/sim/pockyt/qr/111', expiresAt: new Date(T0 + 60_000).toISOString() },
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...over,
  };
}

function setup() {
  const api = new FakeTransport();
  const events = new FakeUpdates();
  let k = 0;
  const state = initialMpmState('order-1', USD(1250), ALIPAY_QR);
  const flow = new MpmAttempt(state, { api, events, newKey: () => `key-${++k}`, pollIntervalMs: 1000 });
  return { api, events, state, flow };
}

const ok =
  (p: PaymentView): Handler =>
  () =>
    Promise.resolve(p);
const fail =
  (e: Error): Handler =>
  () =>
    Promise.reject(e);

describe('merchant-presented QR flow', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('asks for the store option with a key made before the first send, reused after lost answers', async () => {
    const { api, state, flow } = setup();
    api.onCreate.push(fail(new NetworkError('offline')), fail(new ApiError('internal_error', 'boom', 500)), ok(qrView('pending')));
    flow.start();
    expect(state.idempotencyKey).toBe('key-1');
    expect(state.phase).toBe('creating');
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('reconnecting');
    expect(flow.locked).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(api.creates.map((c) => c.key)).toEqual(['key-1', 'key-1', 'key-1']);
    expect(api.creates[0].req).toEqual({ orderId: 'order-1', amount: USD(1250), mode: 'mpm', provider: 'pockyt', vendor: 'alipay' });
    expect(state.phase).toBe('showing');
    expect(state.qr?.payload).toBe('https://example.test/sim/pockyt/qr/111');
    expect(flow.start()).toBe(false); // one flow, one first attempt
  });

  it('wake() ends the backoff: the resend (same key) goes out at once when the network is back', async () => {
    const { api, state, flow } = setup();
    api.onCreate.push(fail(new NetworkError('offline')), ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('reconnecting');
    flow.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.creates.map((c) => c.key)).toEqual(['key-1', 'key-1']);
    expect(state.phase).toBe('showing');
  });

  it('leaves vendor out for a provider whose QR needs none', async () => {
    const api = new FakeTransport();
    const flow = new MpmAttempt(
      initialMpmState('order-1', { value: 500, currency: 'NZD' }, { provider: 'centrapay', label: 'Centrapay QR' }),
      {
        api,
        events: new FakeUpdates(),
        newKey: () => 'k',
      },
    );
    api.onCreate.push(
      ok(
        qrView('pending', {
          provider: 'centrapay',
          vendor: 'centrapay',
          qr: { payload: 'p', expiresAt: new Date(T0 + 5000).toISOString(), shortCode: 'CP-ABC-DEF' },
        }),
      ),
    );
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.creates[0].req).toEqual({ orderId: 'order-1', amount: { value: 500, currency: 'NZD' }, mode: 'mpm', provider: 'centrapay' });
    expect(flow.state.qr?.shortCode).toBe('CP-ABC-DEF');
  });

  it('a push that says paid ends the flow as paid; a late poll saying pending cannot undo it', async () => {
    const { api, events, state, flow } = setup();
    api.onCreate.push(ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    events.push(qrView('succeeded', { qr: undefined }));
    expect(state.phase).toBe('paid');
    expect(state.qr?.payload).toBe('https://example.test/sim/pockyt/qr/111');
    events.push(qrView('pending'));
    expect(state.phase).toBe('paid');
    events.push(qrView('succeeded', { id: 'someone-else' }));
    expect(state.payment?.id).toBe('pay_1');
    expect(flow.locked).toBe(false);
  });

  it('shows "expired" at the QR expiry even before the proxy says so, and stays locked while it is open', async () => {
    const { api, state, flow } = setup();
    api.onCreate.push(ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(flow.remainingMs()).toBe(60_000);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(state.phase).toBe('showing');
    await vi.advanceTimersByTimeAsync(1_100);
    expect(state.phase).toBe('expired');
    expect(flow.locked).toBe(true); // still open at the provider
  });

  it('"New code" cancels the open QR at the provider first, then asks again with a new key for the same order', async () => {
    const { api, state, flow } = setup();
    api.onCreate.push(ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(state.phase).toBe('expired');

    let release!: (p: PaymentView) => void;
    api.onCancel.push(() => new Promise((r) => (release = r)));
    api.onCreate.push(ok(qrView('pending', { id: 'pay_2', qr: { payload: 'second', expiresAt: new Date(T0 + 200_000).toISOString() } })));
    expect(flow.newCode()).toBe(true);
    expect(state.phase).toBe('renewing');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.cancels).toEqual(['pay_1']);
    expect(api.creates).toHaveLength(1); // nothing new while the old one may still be paid
    release(qrView('cancelled'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.creates.map((c) => [c.key, c.req.orderId])).toEqual([
      ['key-1', 'order-1'],
      ['key-2', 'order-1'],
    ]);
    expect(state.phase).toBe('showing');
    expect(state.attempt).toBe(2);
    expect(state.qr?.payload).toBe('second');
  });

  it('"New code" after the proxy already expired the QR needs no cancel', async () => {
    const { api, events, state, flow } = setup();
    api.onCreate.push(ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    events.push(qrView('expired'));
    expect(state.phase).toBe('expired');
    expect(flow.locked).toBe(false);
    api.onCreate.push(ok(qrView('pending', { id: 'pay_2' })));
    flow.newCode();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.cancels).toEqual([]);
    expect(api.creates.map((c) => c.key)).toEqual(['key-1', 'key-2']);
  });

  it('"New code" racing the proxy\'s own expiry: a late answer about the old QR cannot take the new one\'s place', async () => {
    // Seen under load (e2e mpm-payby): the cancel is refused because the proxy expired the QR a moment before;
    // the watch brings "expired" first and the new QR is asked for; then the refused cancel's own look at the old
    // payment lands while the new one's answer is still on its way.
    const { api, events, state, flow } = setup();
    api.onCreate.push(ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(state.phase).toBe('expired');

    let refuseCancel!: (e: Error) => void;
    api.onCancel.push(() => new Promise((_, reject) => (refuseCancel = reject)));
    let oldLook!: (p: PaymentView) => void;
    api.onGet = () => new Promise((r) => (oldLook = r));
    let created!: (p: PaymentView) => void;
    api.onCreate.push(() => new Promise((r) => (created = r)));
    flow.newCode();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.cancels).toEqual(['pay_1']);

    events.push(qrView('expired'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.creates.map((c) => c.key)).toEqual(['key-1', 'key-2']);
    expect(state.phase).toBe('creating');

    refuseCancel(new ApiError('payment_not_open', 'This payment is expired and can no longer be cancelled.', 409));
    await vi.advanceTimersByTimeAsync(0);
    oldLook(qrView('expired'));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('creating');

    created(qrView('pending', { id: 'pay_2', qr: { payload: 'second', expiresAt: new Date(T0 + 200_000).toISOString() } }));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.payment?.id).toBe('pay_2');
    expect(state.phase).toBe('showing');
    expect(state.qr?.payload).toBe('second');
    // And no later word about the old QR moves the screen off the new one.
    events.push(qrView('expired'));
    expect(state.phase).toBe('showing');
  });

  it('a QR paid at the last second while renewing ends as paid, with no second QR', async () => {
    const { api, state, flow } = setup();
    api.onCreate.push(ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(61_000);
    api.onCancel.push(() => Promise.reject(new ApiError('payment_not_open', 'This payment is succeeded', 409)));
    api.onGet = () => Promise.resolve(qrView('succeeded'));
    flow.newCode();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('paid');
    expect(api.creates).toHaveLength(1);
  });

  it('cancel while the QR is being made is sent once the payment is known; a 202 is not resent on every poll', async () => {
    const { api, events, state, flow } = setup();
    let answer!: (p: PaymentView) => void;
    api.onCreate.push(() => new Promise((r) => (answer = r)));
    flow.start();
    flow.cancel();
    expect(state.phase).toBe('cancelling');
    expect(api.cancels).toEqual([]);
    api.onCancel.push(() => Promise.resolve(qrView('pending'))); // 202: on its way
    api.onGet = () => Promise.resolve(qrView('pending'));
    answer(qrView('pending'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.cancels).toEqual(['pay_1']);
    expect(state.phase).toBe('cancelling');
    events.push(qrView('cancelled'));
    expect(state.phase).toBe('cancelled');
    expect(flow.locked).toBe(false);
  });

  it('a refused cancel of a still-open QR goes back to showing it, with the reason', async () => {
    const { api, state, flow } = setup();
    api.onCreate.push(ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    api.onCancel.push(() => Promise.reject(new ApiError('cancel_refused', 'Provider said no', 409)));
    api.onGet = () => Promise.resolve(qrView('pending'));
    flow.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('showing');
    expect(state.error?.message).toMatch(/Could not cancel: Provider said no/);
  });

  it('follows the open QR the proxy already has for this order (409) instead of failing', async () => {
    const { api, state, flow } = setup();
    api.onCreate.push(fail(new ApiError('order_has_open_payment', 'busy', 409, { paymentId: 'pay_1' })));
    api.onGet = (id) => Promise.resolve(qrView('pending', { id }));
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.gets[0]).toBe('pay_1');
    expect(state.phase).toBe('showing');
    expect(state.qr?.payload).toBe('https://example.test/sim/pockyt/qr/111');
  });

  it("a refusal is a failure with the proxy's reason; New code is a new attempt, Cancel goes back", async () => {
    const { api, state, flow } = setup();
    api.onCreate.push(fail(new ApiError('mpm_not_offered', 'This store does not offer that QR.', 422)));
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('failed');
    expect(state.error?.message).toBe('This store does not offer that QR.');
    expect(flow.locked).toBe(false);
    api.onCreate.push(fail(new ApiError('mpm_not_offered', 'still no', 422)));
    flow.newCode();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.creates.map((c) => c.key)).toEqual(['key-1', 'key-2']);
    flow.cancel();
    expect(state.phase).toBe('cancelled');
  });

  it("a failed payment carries the provider's failure; disposing stops every late answer", async () => {
    const { api, events, state, flow } = setup();
    api.onCreate.push(ok(qrView('pending')));
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    events.push(qrView('failed', { failure: { code: 'declined', message: 'Wallet declined' } }));
    expect(state.phase).toBe('failed');
    expect(state.error).toEqual({ code: 'declined', message: 'Wallet declined' });
    flow.dispose();
    events.push(qrView('succeeded'));
    expect(state.phase).toBe('failed');
  });

  it('follow() resumes a QR after a reload without asking for a new one', async () => {
    const { api, state, flow } = setup();
    expect(flow.follow(qrView('pending', { orderId: 'another-order' }))).toBe(false);
    expect(flow.follow(qrView('pending'))).toBe(true);
    expect(state.phase).toBe('showing');
    expect(api.creates).toHaveLength(0);
  });
});
