import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../src/lib/api/sse-parser';
import { backoffDelay, createPaymentEvents, parsePaymentEventData, type ConnectionState } from '../../src/lib/api/events';
import { ApiError, NetworkError, toApiError } from '../../src/lib/api/errors';
import { createApiClient } from '../../src/lib/api/client';
import type { PaymentView } from '../../src/shared/api';

function payment(over: Partial<PaymentView> = {}): PaymentView {
  return {
    id: 'pay_1', orderId: 'ord_1', status: 'pending', mode: 'cpm', provider: 'pockyt', vendor: 'alipay',
    amount: { value: 1250, currency: 'USD' }, refundedAmount: { value: 0, currency: 'USD' }, providerRef: 'T1',
    needsAttention: false, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', ...over,
  };
}

describe('SSE frame parser', () => {
  it('parses id/event/data frames and ignores comments', () => {
    const p = createSseParser();
    const out = p.push(': ping\n\nid: 7\nevent: payment.updated\ndata: {"a":1}\n\n');
    expect(out).toEqual([{ id: '7', event: 'payment.updated', data: '{"a":1}' }]);
    expect(p.lastEventId).toBe('7');
  });

  it('joins multi-line data with \\n and defaults the event type to message', () => {
    const out = createSseParser().push('data: one\ndata:two\ndata:  three\n\n');
    expect(out).toEqual([{ id: '', event: 'message', data: 'one\ntwo\n three' }]);
  });

  it('handles frames split across chunks at any byte, including CRLF split between chunks', () => {
    const frame = 'id: 41\r\nevent: payment.updated\r\ndata: {"x":"y"}\r\n\r\nid: 42\revent: e\rdata: z\r\r';
    for (let cut = 1; cut < frame.length; cut++) {
      const p = createSseParser();
      const out = [...p.push(frame.slice(0, cut)), ...p.push(frame.slice(cut))];
      expect(out, `cut at ${cut}`).toEqual([
        { id: '41', event: 'payment.updated', data: '{"x":"y"}' },
        { id: '42', event: 'e', data: 'z' },
      ]);
    }
  });

  it('keeps the last id for later events, does not dispatch frames without data, reads retry', () => {
    const p = createSseParser('5');
    const out = p.push('event: nothing\n\nretry: 3000\ndata: a\n\nid: 9\n\ndata: b\n\n');
    expect(out).toEqual([
      { id: '5', event: 'message', data: 'a' },
      { id: '9', event: 'message', data: 'b' },
    ]);
    expect(p.retryMs).toBe(3000);
    expect(p.lastEventId).toBe('9');
  });

  it('does not emit an unfinished frame', () => {
    const p = createSseParser();
    expect(p.push('data: half')).toEqual([]);
    expect(p.push('\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ id: '', event: 'message', data: 'half' }]);
  });
});

describe('payment event data', () => {
  it('accepts a bare PaymentView and the {eventId, payment} envelope; rejects junk', () => {
    const pv = payment({ status: 'succeeded' });
    expect(parsePaymentEventData(JSON.stringify(pv))?.status).toBe('succeeded');
    expect(parsePaymentEventData(JSON.stringify({ eventId: 3, payment: pv }))?.id).toBe('pay_1');
    expect(parsePaymentEventData('not json')).toBeNull();
    expect(parsePaymentEventData(JSON.stringify({ id: 'x', status: 'bogus' }))).toBeNull();
  });

  it('backs off exponentially with a cap', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 500, 4000, mid))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});

describe('error mapping', () => {
  it('maps {error:{code,message}} to ApiError with the HTTP status', () => {
    const e = toApiError(409, 'Conflict', JSON.stringify({ error: { code: 'order_has_open_payment', message: 'busy', details: { id: 1 } } }));
    expect(e).toBeInstanceOf(ApiError);
    expect([e.code, e.message, e.status, e.details]).toEqual(['order_has_open_payment', 'busy', 409, { id: 1 }]);
    expect(e.outcomeUnknown).toBe(false);
  });

  it('maps non-JSON bodies to a status-derived code; 5xx means outcome unknown', () => {
    const e = toApiError(502, 'Bad Gateway', '<html>');
    expect([e.code, e.status, e.outcomeUnknown]).toEqual(['http_502', 502, true]);
    expect(toApiError(401, '', '').code).toBe('unauthorized');
  });
});

type Call = { url: string; init: RequestInit };
function fakeFetch(respond: (c: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const f = (async (url: string | URL | Request, init?: RequestInit) => {
    const c = { url: url instanceof Request ? url.url : url.toString(), init: init ?? {} };
    calls.push(c);
    return respond(c);
  }) as typeof fetch;
  return { f, calls };
}

describe('api client', () => {
  it('sends the token and Idempotency-Key and returns the payment', async () => {
    const { f, calls } = fakeFetch(() => new Response(JSON.stringify(payment()), { status: 201 }));
    const api = createApiClient({ fetch: f, getToken: () => 'tok' });
    const req = { orderId: 'o1', amount: { value: 100, currency: 'USD' }, mode: 'cpm' as const, code: '281234567890123456' };
    const p = await api.createPayment(req, 'key-1');
    expect(p.id).toBe('pay_1');
    const h = calls[0].init.headers as Record<string, string>;
    expect(calls[0].url).toBe('/api/payments');
    expect(h.Authorization).toBe('Bearer tok');
    expect(h['Idempotency-Key']).toBe('key-1');
    expect(JSON.parse(calls[0].init.body as string)).toEqual(req);
  });

  it('throws ApiError for error bodies, NetworkError when fetch fails or times out', async () => {
    const bad = createApiClient({
      fetch: fakeFetch(() => new Response(JSON.stringify({ error: { code: 'invalid_amount', message: 'no' } }), { status: 400 })).f,
      getToken: () => 't',
    });
    await expect(bad.getPayment('x')).rejects.toMatchObject({ name: 'ApiError', code: 'invalid_amount', status: 400 });

    const down = createApiClient({ fetch: fakeFetch(() => { throw new TypeError('Failed to fetch'); }).f, getToken: () => 't' });
    await expect(down.getPayment('x')).rejects.toBeInstanceOf(NetworkError);

    const hang = createApiClient({
      timeoutMs: 20,
      getToken: () => 't',
      fetch: ((_u: string, init: RequestInit) => new Promise((_r, rej) => init.signal?.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError'))))) as unknown as typeof fetch,
    });
    await expect(hang.getPayment('x')).rejects.toMatchObject({ name: 'NetworkError', message: expect.stringMatching(/in time/) });
  });

  it('refuses authenticated calls without a token and pairs without one', async () => {
    const { f, calls } = fakeFetch(() => new Response(JSON.stringify({ terminalId: 't1', token: 'abc' })));
    const api = createApiClient({ fetch: f, getToken: () => null });
    await expect(api.terminal()).rejects.toMatchObject({ code: 'not_paired' });
    expect(calls).toHaveLength(0);
    expect(await api.pair('CODE1')).toEqual({ terminalId: 't1', token: 'abc' });
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBeUndefined();
  });
});

function sseResponse(text: string): Response {
  return new Response(new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
      c.close();
    },
  }), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('payment events over fetch', () => {
  it('delivers payment.updated, reconnects with Last-Event-ID, never puts the token in the URL', async () => {
    const frames = [
      `id: 1\nevent: payment.updated\ndata: ${JSON.stringify(payment())}\n\n`,
      `id: 2\nevent: payment.updated\ndata: ${JSON.stringify({ eventId: 2, payment: payment({ status: 'succeeded' }) })}\n\n`,
    ];
    const { f, calls } = fakeFetch(() => (frames.length ? sseResponse(frames.shift()!) : new Promise<Response>(() => {})));
    const ev = createPaymentEvents({ fetch: f, getToken: () => 'secret', initialBackoffMs: 1, maxBackoffMs: 2 });
    const seen: string[] = [];
    ev.subscribe((p, id) => seen.push(`${id}:${p.status}`));
    ev.start();
    await expect.poll(() => seen, { timeout: 2000 }).toEqual(['1:pending', '2:succeeded']);
    await expect.poll(() => calls.length).toBe(3);
    ev.stop();
    const h = calls.map((c) => c.init.headers as Record<string, string>);
    expect(h[0]['Last-Event-ID']).toBeUndefined();
    expect(h[1]['Last-Event-ID']).toBe('1');
    expect(h[2]['Last-Event-ID']).toBe('2');
    expect(h.every((x) => x.Authorization === 'Bearer secret')).toBe(true);
    expect(calls.every((c) => !c.url.includes('secret'))).toBe(true);
  });

  it('remembers the latest pushed view of each payment, for a watcher that learns the payment id late', async () => {
    const frames = [
      `id: 1\nevent: payment.updated\ndata: ${JSON.stringify(payment())}\n\n`,
      `id: 2\nevent: payment.updated\ndata: ${JSON.stringify({ eventId: 2, payment: payment({ status: 'succeeded' }) })}\n\n`,
      `id: 3\nevent: payment.updated\ndata: ${JSON.stringify(payment({ id: 'pay_2', status: 'failed' }))}\n\n`,
    ];
    const { f } = fakeFetch(() => (frames.length ? sseResponse(frames.shift()!) : new Promise<Response>(() => {})));
    const ev = createPaymentEvents({ fetch: f, getToken: () => 't', initialBackoffMs: 1, maxBackoffMs: 2 });
    ev.start();
    await expect.poll(() => ev.latest('pay_2')?.status, { timeout: 2000 }).toBe('failed');
    expect(ev.latest('pay_1')?.status).toBe('succeeded');
    expect(ev.latest('pay_3')).toBeUndefined();
    ev.stop();
  });

  it('stops with state unauthorized on 401', async () => {
    const { f, calls } = fakeFetch(() => new Response('{}', { status: 401 }));
    const ev = createPaymentEvents({ fetch: f, getToken: () => 't', initialBackoffMs: 1 });
    const states: ConnectionState[] = [];
    ev.onState((s) => states.push(s));
    ev.start();
    await expect.poll(() => ev.state).toBe('unauthorized');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    expect(states).toEqual(['connecting', 'unauthorized']);
  });
});
