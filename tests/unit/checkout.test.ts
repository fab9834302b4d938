import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addItem, addOpenAmount, cartTotal, changeQty, itemCount, lineTotal, MAX_QTY, type CartLine } from '../../src/lib/checkout/cart-math';
import { pressKey, type KeypadKey } from '../../src/lib/checkout/keypad';
import {
  initialFlowState, PaymentFlowMachine, type PaymentTransport, type PaymentUpdates,
} from '../../src/lib/checkout/attempt-machine';
import { ApiError, NetworkError } from '../../src/lib/api/errors';
import { formatMoney } from '../../src/shared/money';
import type { CreatePaymentRequest, PaymentView } from '../../src/shared/api';
import type { PaymentStatus } from '../../src/shared/payment';

const USD = (value: number) => ({ value, currency: 'USD' });
let n = 0;
const id = () => `l${++n}`;

describe('cart math', () => {
  const coffee = { sku: 'coffee', name: 'Coffee', price: USD(450) };
  const muffin = { sku: 'muffin', name: 'Muffin', price: USD(325) };

  it('merges repeated items, keeps open amounts separate, totals in minor units', () => {
    let lines: CartLine[] = [];
    lines = addItem(lines, coffee, 'USD', id);
    lines = addItem(lines, muffin, 'USD', id);
    lines = addItem(lines, coffee, 'USD', id);
    lines = addOpenAmount(lines, USD(1), 'USD', id);
    lines = addOpenAmount(lines, USD(1), 'USD', id);
    expect(lines.map((l) => [l.sku, l.qty])).toEqual([['coffee', 2], ['muffin', 1], [null, 1], [null, 1]]);
    expect(cartTotal(lines, 'USD')).toEqual(USD(450 * 2 + 325 + 2));
    expect(itemCount(lines)).toBe(5);
    expect(formatMoney(cartTotal(lines, 'USD'), 'en-US')).toBe('$12.27');
  });

  it('sums 0.10 + 0.20 exactly (no floating point)', () => {
    let lines: CartLine[] = [];
    lines = addOpenAmount(lines, USD(10), 'USD', id);
    lines = addOpenAmount(lines, USD(20), 'USD', id);
    expect(cartTotal(lines, 'USD').value).toBe(30);
  });

  it('qty +/- : 0 removes the line, capped at MAX_QTY, other lines untouched', () => {
    let lines = addItem(addItem([], coffee, 'USD', id), muffin, 'USD', id);
    const [c, m] = lines;
    lines = changeQty(lines, c.id, +2);
    expect(lineTotal(lines[0])).toEqual(USD(1350));
    lines = changeQty(lines, m.id, -1);
    expect(lines.map((l) => l.sku)).toEqual(['coffee']);
    lines = changeQty(lines, c.id, +5000);
    expect(lines[0].qty).toBe(MAX_QTY);
  });

  it('refuses prices in another currency or non-integer minor units', () => {
    expect(() => addItem([], { sku: 'x', name: 'X', price: { value: 100, currency: 'NZD' } }, 'USD', id)).toThrow(/NZD/);
    expect(() => addOpenAmount([], USD(1.5), 'USD', id)).toThrow(/whole number/);
    expect(() => addOpenAmount([], USD(0), 'USD', id)).toThrow();
  });

  it('formats with the store locale and currency exponent', () => {
    expect(formatMoney({ value: 123456, currency: 'EUR' }, 'de-DE')).toMatch(/^1\.234,56\s€$/);
    expect(formatMoney({ value: 1500, currency: 'JPY' }, 'ja-JP')).toMatch(/1,500/);
  });
});

describe('keypad', () => {
  const type = (keys: KeypadKey[], max = 1_000_000) => keys.reduce((e, k) => pressKey(e, k, max).entry, '');

  it('fills from the right in minor units, with 00, back and clear', () => {
    expect(type(['1', '2', '5', '0'])).toBe('1250');
    expect(type(['0', '0', '7'])).toBe('7');
    expect(type(['1', '00'])).toBe('100');
    expect(type(['1', '2', 'back'])).toBe('1');
    expect(type(['1', '2', 'clear', '3'])).toBe('3');
  });

  it('refuses a key that would pass the store maximum', () => {
    expect(pressKey('999', '9', 5000)).toEqual({ entry: '999', refused: true });
    expect(pressKey('50', '00', 5000)).toEqual({ entry: '5000', refused: false });
  });
});

// ---------------------------------------------------------------- payment attempt flow

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
  subscribe(cb: (p: PaymentView) => void) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  isConnected() {
    return this.connected;
  }
  push(p: PaymentView) {
    for (const cb of [...this.listeners]) cb(p);
  }
}

function view(status: PaymentStatus, over: Partial<PaymentView> = {}): PaymentView {
  return {
    id: 'pay_1', orderId: 'order-1', status, mode: 'cpm', provider: 'pockyt', vendor: 'alipay',
    amount: USD(1250), refundedAmount: USD(0), providerRef: 'TXN1', needsAttention: false,
    createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', ...over,
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
  const flow = new PaymentFlowMachine(state, {
    api, events, acceptedVendors: opts.accepted ?? ['alipay', 'wechatpay'], newKey: () => `key-${++k}`,
  });
  return { api, events, state, flow };
}

const ok = (p: PaymentView): Handler => () => Promise.resolve(p);
const fail = (e: Error): Handler => () => Promise.reject(e);

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
    expect(api.creates.map((c) => [c.key, c.req.orderId])).toEqual([['key-1', 'order-1'], ['key-2', 'order-1']]);
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

  it('polls every 1.5 s while open when SSE is down, and stops when the payment ends', async () => {
    const { api, events, state, flow } = setup();
    events.connected = false;
    let polls = 0;
    api.onGet = () => Promise.resolve(view(++polls >= 3 ? 'succeeded' : 'pending'));
    api.onCreate = [ok(view('pending'))];
    flow.submitCode(ALIPAY);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1500);
    expect(api.gets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
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
