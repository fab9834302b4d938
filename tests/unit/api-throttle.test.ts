// The kiosk's answer to "not now" from the proxy outside the payment flow (src/lib/api/throttle.ts): resend
// what cannot act twice or count a PIN twice, after Retry-After; tell the cashier how long otherwise.
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/lib/api/client';
import { ApiError } from '../../src/lib/api/errors';
import { AUTO_WAIT_MAX_MS, MAX_AUTO_RESENDS, onThrottled, resendable, type ThrottleNotice } from '../../src/lib/api/throttle';

interface Call {
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

const refusal = (status: number, code: string, retryAfter?: string) =>
  new Response(JSON.stringify({ error: { code, message: `refused: ${code}` } }), {
    status,
    headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
  });

/** A client whose proxy answers `answers` in turn (then 200 {ok:true}), with a clock that only records. */
function clientAnswering(...answers: (() => Response)[]) {
  const calls: Call[] = [];
  const slept: number[] = [];
  const notices: ThrottleNotice[] = [];
  const off = onThrottled((n) => notices.push(n));
  const api = createApiClient({
    getToken: () => 'tok',
    sleep: async (ms) => void slept.push(ms),
    fetch: (async (_url: string, init: RequestInit) => {
      calls.push({ method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body });
      const next = answers[calls.length - 1];
      return next ? next() : new Response(JSON.stringify({ ok: true }));
    }) as typeof fetch,
  });
  cleanups.push(off);
  return { api, calls, slept, notices };
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

describe('429 outside the payment flow', () => {
  it('a staff action with a PIN refused by the rate limit is sent again, once, after Retry-After, PIN and body unchanged', async () => {
    // server/routes/limits.ts refuses in onRequest, before the gate reads the PIN: the first send counted no guess.
    const { api, calls, slept, notices } = clientAnswering(() => refusal(429, 'rate_limited', '2'));
    const before = Date.now();
    await expect(api.staffAction('/api/payments/p1/void', { reason: 'x' }, { pin: '4321' })).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(2);
    expect(slept).toEqual([2000]);
    expect(calls[1].headers['X-Staff-Pin']).toBe('4321');
    expect(calls[1].body).toBe(calls[0].body);
    expect(notices).toHaveLength(1);
    expect(notices[0].resending).toBe(true);
    expect(notices[0].until - before).toBeGreaterThanOrEqual(2000);
  });

  it('a PIN lockout (pin_locked) is never resent: the gate counted those guesses, the supervisor reads the message', async () => {
    const { api, calls, slept } = clientAnswering(() => refusal(429, 'pin_locked', '300'));
    await expect(api.staffAction('/api/payments/p1/refunds', {}, { pin: '1111', idempotencyKey: 'k' })).rejects.toMatchObject({
      code: 'pin_locked',
      message: 'refused: pin_locked',
    });
    expect(calls).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('a PIN check the gate did not count (pin_busy, 503 + Retry-After) is sent again', async () => {
    const { api, calls } = clientAnswering(() => refusal(503, 'pin_busy', '1'));
    await api.send('POST', '/api/staff/session', { pin: '9999' });
    expect(calls).toHaveLength(2);
  });

  it('an unknown 429 on a POST without Idempotency-Key is not resent: "too many attempts, try again in N s"', async () => {
    const { api, calls, notices } = clientAnswering(() => refusal(429, 'slow_down', '4'));
    await expect(api.send('POST', '/api/staff/session', { pin: '9999' })).rejects.toMatchObject({
      status: 429,
      message: 'Too many attempts. Try again in 4 s.',
    });
    expect(calls).toHaveLength(1);
    expect(notices.map((n) => n.resending)).toEqual([false]);
  });

  it('an unknown 429 is resent when the request is idempotent (GET, or an Idempotency-Key)', async () => {
    const get = clientAnswering(() => refusal(429, 'slow_down', '1'));
    await get.api.attention();
    expect(get.calls).toHaveLength(2);
    const keyed = clientAnswering(() => refusal(429, 'slow_down', '1'));
    await keyed.api.staffAction('/api/payments/p1/refunds', {}, { idempotencyKey: 'r-1' });
    expect(keyed.calls).toHaveLength(2);
    expect(keyed.calls[1].headers['Idempotency-Key']).toBe('r-1');
  });

  it('a wait longer than the kiosk waits by itself goes to the cashier (pairing: a minute window)', async () => {
    const { api, calls, notices } = clientAnswering(() => refusal(429, 'rate_limited', String(AUTO_WAIT_MAX_MS / 1000 + 30)));
    await expect(api.pair('ABCD2345')).rejects.toMatchObject({ status: 429, message: 'Too many attempts. Try again in 40 s.' });
    expect(calls).toHaveLength(1);
    expect(notices[0].resending).toBe(false);
  });

  it(`gives up after ${MAX_AUTO_RESENDS} resends`, async () => {
    const always = () => refusal(429, 'rate_limited', '1');
    const { api, calls } = clientAnswering(...Array.from({ length: 10 }, () => always));
    await expect(api.attention()).rejects.toMatchObject({ status: 429, message: 'Too many attempts. Try again in 1 s.' });
    expect(calls).toHaveLength(1 + MAX_AUTO_RESENDS);
  });

  it('a 503 without Retry-After, or one that cannot be resent, keeps its meaning (outcome unknown)', async () => {
    const plain = clientAnswering(() => refusal(503, 'upstream_down'));
    await expect(plain.api.send('POST', '/api/x', {})).rejects.toMatchObject({ status: 503, code: 'upstream_down' });
    expect(plain.calls).toHaveLength(1);
    const unsafe = clientAnswering(() => refusal(503, 'maintenance', '2'));
    await expect(unsafe.api.send('POST', '/api/x', {})).rejects.toMatchObject({ status: 503, message: 'refused: maintenance' });
    expect(unsafe.calls).toHaveLength(1);
  });

  it('the payment flow gets its 429 as is (it waits it out itself, showing its own message)', async () => {
    const { api, calls, notices } = clientAnswering(() => refusal(429, 'rate_limited', '3'));
    const err = await api.getPayment('p1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).throttleMs).toBe(3000);
    expect(calls).toHaveLength(1);
    expect(notices).toHaveLength(0);
  });
});

describe('resendable', () => {
  const err = (code: string) => new ApiError(code, 'm', 429);
  it('only what did nothing or is idempotent', () => {
    expect(resendable({ method: 'POST', headers: {} }, err('rate_limited'))).toBe(true);
    expect(resendable({ method: 'POST', headers: {} }, err('other'))).toBe(false);
    expect(resendable({ method: 'POST', headers: { 'idempotency-key': 'k' } }, err('other'))).toBe(true);
    expect(resendable({ method: 'PUT', headers: {} }, err('other'))).toBe(true);
    expect(resendable({ method: 'GET', headers: {} }, err('pin_locked'))).toBe(false);
  });
});
