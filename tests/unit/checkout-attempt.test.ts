import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CpmAttempt, initialFlowState } from '../../src/lib/checkout/cpm-attempt';
import type { PaymentTransport, PaymentUpdates } from '../../src/lib/checkout/attempt-types';
import { ApiError, NetworkError } from '../../src/lib/api/errors';
import type { CreatePaymentRequest, PaymentView } from '../../src/shared/api';
import type { PaymentStatus } from '../../src/shared/payment';

const USD = (value: number) => ({ value, currency: 'USD' });

type Handler = (req: CreatePaymentRequest, key: string) => Promise<PaymentView>;

class FakeTransport implements PaymentTransport {
  creates: { req: CreatePaymentRequest; key: string }[] = [];
  gets: string[] = [];
  cancels: string[] = [];
  onCreate: Handler[] = [];
  onGet: ((id: string) => Promise<PaymentView>) | null = null;
  onCancel: ((id: string) => Promise<PaymentView>) | null = null;

  createPayment(req: CreatePaymentRequest, key: string): Promise<PaymentView> {
    this.creates.push({ req: structuredClone(req), key });
    const h = this.onCreate.shift();
    if (!h) throw new Error('unexpected createPayment');
    return h(req, key);
  }
  getPayment(pid: string): Promise<PaymentView> {
    this.gets.push(pid);
    return this.onGet ? this.onGet(pid) : Promise.reject(new NetworkError('no server'));
  }
  cancelPayment(pid: string): Promise<PaymentView> {
    this.cancels.push(pid);
    return this.onCancel ? this.onCancel(pid) : Promise.reject(new NetworkError('no server'));
  }
}

class FakeUpdates implements PaymentUpdates {
  connected = true;
  listeners = new Set<(p: PaymentView) => void>();
  seen = new Map<string, PaymentView>();
  subscribe(cb: (p: PaymentView) => void) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  isConnected() {
    return this.connected;
  }
  latest(id: string) {
    return this.seen.get(id);
  }
  push(p: PaymentView) {
    this.seen.set(p.id, p);
    for (const cb of [...this.listeners]) cb(p);
  }
}

function view(status: PaymentStatus, over: Partial<PaymentView> = {}): PaymentView {
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
    ...over,
  };
}

const ALIPAY = '281234567890120001';
const ALIPAY_2 = '281234567890129999';
const WECHAT = '134567890123450001';

function setup(opts: { accepted?: ('alipay' | 'wechatpay')[] } = {}) {
  const api = new FakeTransport();
  const events = new FakeUpdates();
  let k = 0;
  const state = initialFlowState('order-1', USD(1250));
  const flow = new CpmAttempt(state, {
    api,
    events,
    acceptedVendors: opts.accepted ?? ['alipay', 'wechatpay'],
    newKey: () => `key-${++k}`,
  });
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

describe('payment attempt flow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('makes the key before the first send and reuses it on every retry after a lost answer', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [fail(new NetworkError('offline')), fail(new ApiError('internal', 'boom', 503)), ok(view('pending'))];
    expect(flow.submitCode(` ${ALIPAY} `)).toEqual({ ok: true });
    expect(state.idempotencyKey).toBe('key-1');
    expect(state.phase).toBe('sending');
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.creates.map((c) => c.key)).toEqual(['key-1', 'key-1', 'key-1']);
    expect(api.creates.every((c) => c.req.orderId === 'order-1' && c.req.code === ALIPAY && c.req.mode === 'cpm')).toBe(true);
    expect(api.creates[0].req.amount).toEqual(USD(1250));
    expect(state.phase).toBe('pending');
    flow.dispose();
  });

  it('never opens a second attempt while one is in flight or open', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [ok(view('pending'))];
    expect(flow.submitCode(ALIPAY).ok).toBe(true);
    expect(flow.submitCode(ALIPAY_2)).toEqual({ ok: false, reason: 'busy' });
    await vi.advanceTimersByTimeAsync(0);
    expect(flow.submitCode(ALIPAY_2)).toEqual({ ok: false, reason: 'busy' });
    expect(flow.retry()).toBe(false);
    expect(api.creates).toHaveLength(1);
    expect(flow.locked).toBe(true);
    expect(state.phase).toBe('pending');
    flow.dispose();
  });

  it('rejects unrecognised codes and wallets the store does not take without calling the server', () => {
    const { api, state, flow } = setup({ accepted: ['alipay'] });
    expect(flow.submitCode('https://example.com/pay')).toEqual({ ok: false, reason: 'rejected' });
    expect(state.error?.code).toBe('not_a_payment_code');
    expect(flow.submitCode('12345')).toEqual({ ok: false, reason: 'rejected' });
    expect(state.error?.code).toBe('unrecognised');
    expect(flow.submitCode(WECHAT)).toEqual({ ok: false, reason: 'rejected' });
    expect(state.error).toEqual({ code: 'vendor_not_accepted', message: 'WeChat Pay is not accepted at this store. Accepted: Alipay.' });
    expect(state.phase).toBe('ready');
    expect(api.creates).toHaveLength(0);
  });

  it('declined → "Try another code" is a new attempt with a new key on the same order; the used code is refused locally', async () => {
    const { api, events, state, flow } = setup();
    api.onCreate = [ok(view('pending')), ok(view('succeeded', { id: 'pay_2' }))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    events.push(view('failed', { failure: { code: '000040', message: 'Insufficient balance' } }));
    expect(state.phase).toBe('declined');
    expect(state.error).toEqual({ code: '000040', message: 'Insufficient balance' });
    expect(flow.submitCode(ALIPAY_2).ok).toBe(false); // must press retry first
    expect(flow.retry()).toBe(true);
    expect(state.phase).toBe('ready');
    expect(flow.submitCode(ALIPAY)).toEqual({ ok: false, reason: 'rejected' });
    expect(state.error?.code).toBe('code_already_tried');
    expect(flow.submitCode(ALIPAY_2).ok).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.creates.map((c) => [c.key, c.req.orderId])).toEqual([
      ['key-1', 'order-1'],
      ['key-2', 'order-1'],
    ]);
    expect(state.phase).toBe('paid');
    expect(state.attempt).toBe(2);
  });

  it('a refusal from the proxy (4xx) ends the attempt without retrying it', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [fail(new ApiError('unsupported_vendor', 'Store does not take WeChat Pay', 422))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.creates).toHaveLength(1);
    expect(state.phase).toBe('declined');
    expect(state.error?.message).toBe('Store does not take WeChat Pay');
  });

  it('a 409 "order has an open payment" follows that payment instead of failing or charging again', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [fail(new ApiError('order_has_open_payment', 'busy', 409, { paymentId: 'pay_0', status: 'pending' }))];
    api.onGet = (pid) => Promise.resolve(view('pending', { id: pid }));
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.gets).toEqual(['pay_0']);
    expect(state.phase).toBe('pending');
    expect(state.payment?.id).toBe('pay_0');
    expect(state.error).toBeNull();
    expect(flow.locked).toBe(true);
    flow.dispose();
  });

  it('a 409 whose payment cannot be found ends declined with the proxy message, and the code may be tried again', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [fail(new ApiError('order_has_open_payment', 'Wait for it', 409)), ok(view('pending'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('declined');
    expect(state.error?.message).toBe('Wait for it');
    flow.retry();
    expect(flow.submitCode(ALIPAY).ok).toBe(true);
    flow.dispose();
  });

  it('follow() picks up an open payment of this order after a reload (no new charge), and only when idle', async () => {
    const { api, events, state, flow } = setup();
    expect(flow.follow(view('pending', { orderId: 'other-order' }))).toBe(false);
    expect(flow.follow(view('pending', { amount: USD(999) }))).toBe(true);
    expect(state.phase).toBe('pending');
    expect(state.amount).toEqual(USD(999));
    expect(flow.follow(view('pending'))).toBe(false);
    events.push(view('succeeded'));
    expect(state.phase).toBe('paid');
    expect(api.creates).toHaveLength(0);
  });

  it('moves on SSE pushes and ignores stale or foreign updates', async () => {
    const { api, events, state, flow } = setup();
    api.onCreate = [ok(view('pending'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    events.push(view('succeeded', { id: 'other' }));
    expect(state.phase).toBe('pending');
    events.push(view('unknown'));
    expect(state.phase).toBe('checking');
    events.push(view('succeeded', { providerRef: 'TXN-OK' }));
    expect(state.phase).toBe('paid');
    events.push(view('pending'));
    expect(state.phase).toBe('paid');
    expect(state.payment?.providerRef).toBe('TXN-OK');
    expect(events.listeners.size).toBe(0);
  });

  it('a push that arrives before the create answer is not lost: the flow is paid as soon as it knows the id', async () => {
    const { api, events, state, flow } = setup();
    let answer!: (p: PaymentView) => void;
    api.onCreate = [
      () =>
        new Promise<PaymentView>((r) => {
          answer = r;
        }),
    ];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    // The customer approved at once: the stream says paid while the create answer (pending) is still on its way.
    events.push(view('succeeded', { providerRef: 'TXN-OK' }));
    answer(view('pending'));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('paid');
    expect(state.payment?.providerRef).toBe('TXN-OK');
    expect(api.gets).toEqual([]);
    expect(events.listeners.size).toBe(0);
  });

  it('a slow poll answer that arrives after a push never moves the status backwards', async () => {
    const { api, events, state, flow } = setup();
    events.connected = false;
    let answerPoll!: (p: PaymentView) => void;
    api.onGet = () => new Promise((r) => (answerPoll = r));
    api.onCreate = [ok(view('pending'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(1500);
    expect(api.gets).toHaveLength(1);
    events.push(view('succeeded'));
    expect(state.phase).toBe('paid');
    answerPoll(view('pending'));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('paid');
    expect(state.payment?.status).toBe('succeeded');
  });

  it('ignores updates the state table forbids (a stale "created" after "pending")', async () => {
    const { api, events, state, flow } = setup();
    api.onCreate = [ok(view('pending'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    events.push(view('created'));
    expect(state.payment?.status).toBe('pending');
    expect(state.phase).toBe('pending');
    flow.dispose();
  });

  it('a cancel answer arriving after the push that said paid leaves it paid', async () => {
    const { api, events, state, flow } = setup();
    let answerCancel!: (p: PaymentView) => void;
    api.onCreate = [ok(view('pending'))];
    api.onCancel = () => new Promise((r) => (answerCancel = r));
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    flow.cancel();
    await vi.advanceTimersByTimeAsync(0);
    events.push(view('succeeded'));
    answerCancel(view('cancelled'));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('paid');
    expect(state.payment?.status).toBe('succeeded');
  });

  it('polls every 0.5 s while open when SSE is down (no push can come), and stops when the payment ends', async () => {
    const { api, events, state, flow } = setup();
    events.connected = false;
    let polls = 0;
    api.onGet = () => Promise.resolve(view(++polls >= 3 ? 'succeeded' : 'pending'));
    api.onCreate = [ok(view('pending'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(499);
    expect(api.gets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.gets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.gets).toHaveLength(3);
    expect(state.phase).toBe('paid');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.gets).toHaveLength(3);
  });

  it('with SSE up, polls only after 2 s without an event for the payment', async () => {
    const { api, events, flow } = setup();
    api.onGet = () => Promise.resolve(view('pending'));
    api.onCreate = [ok(view('pending'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1500);
    expect(api.gets).toHaveLength(0); // 1.5 s: still inside the 2 s grace
    await vi.advanceTimersByTimeAsync(1500);
    expect(api.gets).toHaveLength(1); // 3 s: no event came, poll
    events.push(view('pending'));
    await vi.advanceTimersByTimeAsync(1500);
    expect(api.gets).toHaveLength(1); // an event just arrived
    flow.dispose();
  });

  it('cancel while waiting cancels at the proxy and ends cancelled', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [ok(view('pending'))];
    api.onCancel = () => Promise.resolve(view('cancelled'));
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    flow.cancel();
    expect(state.phase).toBe('cancelling');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.cancels).toEqual(['pay_1']);
    expect(state.phase).toBe('cancelled');
    expect(flow.locked).toBe(false);
  });

  it('a cancel the proxy accepted (202) is not resent on every poll; the watch brings the outcome', async () => {
    const { api, events, state, flow } = setup();
    events.connected = false;
    api.onCreate = [ok(view('pending'))];
    api.onCancel = () => Promise.resolve(view('pending')); // 202: on its way to the provider
    api.onGet = () => Promise.resolve(view('pending'));
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    flow.cancel();
    await vi.advanceTimersByTimeAsync(6000);
    expect(api.gets.length).toBeGreaterThanOrEqual(3);
    expect(api.cancels).toEqual(['pay_1']);
    expect(state.phase).toBe('cancelling');
    events.push(view('cancelled'));
    expect(state.phase).toBe('cancelled');
    expect(flow.locked).toBe(false);
  });

  it('cancel during the send waits for the payment id, then cancels it', async () => {
    const { api, state, flow } = setup();
    let resolve!: (p: PaymentView) => void;
    api.onCreate = [() => new Promise((r) => (resolve = r))];
    api.onCancel = () => Promise.resolve(view('cancelled'));
    flow.submitCode(ALIPAY);
    flow.cancel();
    expect(state.phase).toBe('cancelling');
    expect(api.cancels).toHaveLength(0);
    resolve(view('pending'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.cancels).toEqual(['pay_1']);
    expect(state.phase).toBe('cancelled');
  });

  it('a payment that succeeds as the cashier cancels ends paid, not cancelled', async () => {
    const { api, state, flow } = setup();
    api.onCreate = [ok(view('pending'))];
    api.onCancel = () => Promise.reject(new ApiError('not_cancellable', 'Payment already succeeded', 409));
    api.onGet = () => Promise.resolve(view('succeeded'));
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    flow.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.phase).toBe('paid');
  });

  it('cancel with nothing sent ends at once without calling the proxy', () => {
    const { api, state, flow } = setup();
    flow.cancel();
    expect(state.phase).toBe('cancelled');
    expect(api.cancels).toHaveLength(0);
  });
});
