import { describe, expect, it } from 'vitest';
import { backoffDelay, createPaymentEvents, parsePaymentEventData, type ConnectionState } from '../../src/lib/api/events';
import { ApiError, NetworkError, toApiError } from '../../src/lib/api/errors';
import { createApiClient } from '../../src/lib/api/client';
import type { PaymentView } from '../../src/shared/api';

function payment(over: Partial<PaymentView> = {}): PaymentView {
  return {
    id: 'pay_1',
    orderId: 'ord_1',
    status: 'pending',
    mode: 'cpm',
    provider: 'pockyt',
    vendor: 'alipay',
    amount: { value: 1250, currency: 'USD' },
    refundedAmount: { value: 0, currency: 'USD' },
    providerRef: 'T1',
    needsAttention: false,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...over,
  };
}

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
    const e = toApiError(
      409,
      'Conflict',
      JSON.stringify({ error: { code: 'order_has_open_payment', message: 'busy', details: { id: 1 } } }),
    );
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

type Call = { url: string; init: RequestInit; at: number };
function fakeFetch(respond: (c: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const f = (async (url: string | URL | Request, init?: RequestInit) => {
    const c = { url: url instanceof Request ? url.url : url.toString(), init: init ?? {}, at: Date.now() };
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

    const down = createApiClient({
      fetch: fakeFetch(() => {
        throw new TypeError('Failed to fetch');
      }).f,
      getToken: () => 't',
    });
    await expect(down.getPayment('x')).rejects.toBeInstanceOf(NetworkError);

    const hang = createApiClient({
      timeoutMs: 20,
      getToken: () => 't',
      fetch: ((_u: string, init: RequestInit) =>
        new Promise((_r, rej) =>
          init.signal?.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError'))),
        )) as unknown as typeof fetch,
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
  return new Response(
    new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(text));
        c.close();
      },
    }),
    { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
  );
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

/** An event stream whose bytes the test hands over chunk by chunk (each send() is one read on the kiosk side). */
function sseStream() {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send: (text: string) => ctrl.enqueue(new TextEncoder().encode(text)),
    end: () => ctrl.close(),
  };
}

/** The kiosk's event stream over `streams` (one per connection; later connections hang), and what it delivered. */
function listen(streams: Response[], opts: { maxBackoffMs?: number } = {}) {
  const { f, calls } = fakeFetch(() => (streams.length ? streams.shift()! : new Promise<Response>(() => {})));
  const ev = createPaymentEvents({ fetch: f, getToken: () => 't', initialBackoffMs: 1, maxBackoffMs: opts.maxBackoffMs ?? 2 });
  const seen: string[] = [];
  ev.subscribe((p, id) => seen.push(`${id}:${p.id}:${p.status}`));
  ev.start();
  const resumedFrom = () => calls.map((c) => (c.init.headers as Record<string, string>)['Last-Event-ID']);
  return { ev, seen, calls, resumedFrom };
}

const json = (over: Partial<PaymentView>) => JSON.stringify(payment(over));
const fast = { timeout: 2000, interval: 1 };

describe('payment event frames', () => {
  it('parses id/event/data frames and ignores comments', async () => {
    const s = sseStream();
    const l = listen([s.response]);
    s.send(`: ping\n\nid: 7\nevent: payment.updated\ndata: ${json({})}\n\n`);
    s.end();
    await expect.poll(() => l.seen, fast).toEqual(['7:pay_1:pending']);
    await expect.poll(() => l.calls.length, fast).toBe(2);
    expect(l.resumedFrom()[1]).toBe('7');
    l.ev.stop();
  });

  it('joins multi-line data; a frame of another event type (default: message) is not a payment update', async () => {
    const s = sseStream();
    const l = listen([s.response]);
    s.send('data: {"id":"pay_1",\ndata:"status":"failed"}\n\n');
    s.send('event: payment.updated\ndata: {"id":"pay_1",\ndata:"status":\ndata:  "succeeded"}\n\n');
    await expect.poll(() => l.seen, fast).toEqual([':pay_1:succeeded']);
    l.ev.stop();
  });

  it('handles frames split across chunks at any byte, including CRLF split between chunks', async () => {
    const frame =
      'id: 41\r\nevent: payment.updated\r\ndata: {"id":"p41","status":"pending"}\r\n\r\n' +
      'id: 42\revent: payment.updated\rdata: {"id":"p42","status":"succeeded"}\r\r' +
      // eventsource-parser holds a CR that ends a chunk until the next byte (it may be a CRLF); the proxy's
      // heartbeat comment is that byte on a live stream.
      ': ping\n';
    for (let cut = 1; cut < frame.length; cut++) {
      const s = sseStream();
      const l = listen([s.response]);
      s.send(frame.slice(0, cut));
      s.send(frame.slice(cut));
      await expect.poll(() => l.seen, { ...fast, message: `cut at ${cut}` }).toEqual(['41:p41:pending', '42:p42:succeeded']);
      l.ev.stop();
      s.end();
    }
  });

  it('keeps the last id for later frames, does not dispatch frames without data, honours retry', async () => {
    const first = sseStream();
    const second = sseStream();
    const l = listen([first.response, second.response], { maxBackoffMs: 400 });
    first.send(`id: 5\nevent: payment.updated\ndata: ${json({})}\n\n`);
    first.end();
    second.send(`event: payment.updated\n\nretry: 3000\nevent: payment.updated\ndata: ${json({ id: 'pay_a' })}\n\n`);
    second.send(`id: 9\nevent: payment.updated\ndata: ${json({ id: 'pay_b', status: 'succeeded' })}\n\n`);
    second.end();
    await expect.poll(() => l.seen, fast).toEqual(['5:pay_1:pending', '5:pay_a:pending', '9:pay_b:succeeded']);
    await expect.poll(() => l.calls.length, fast).toBe(3);
    l.ev.stop();
    expect(l.resumedFrom()).toEqual([undefined, '5', '9']);
    // Without the server's retry the next connect would follow within ~2 ms; with it, the backoff starts from
    // 3 s (capped here at 400 ms, jittered by at most a quarter).
    expect(l.calls[2].at - l.calls[1].at).toBeGreaterThanOrEqual(300);
  });

  it('does not emit an unfinished frame', async () => {
    const s = sseStream();
    const l = listen([s.response]);
    s.send(`event: payment.updated\ndata: ${json({})}`);
    await new Promise((r) => setTimeout(r, 20));
    expect(l.seen).toEqual([]);
    s.send('\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(l.seen).toEqual([]);
    s.send('\n');
    await expect.poll(() => l.seen, fast).toEqual([':pay_1:pending']);
    l.ev.stop();
  });
});
