// SSE stream caps (issue 9): a terminal keeps at most SSE_MAX_PER_TERMINAL streams — a newer one displaces
// the oldest with a last `stream.closed` frame (a reloaded kiosk always gets its stream) — and the server at
// most SSE_MAX_TOTAL, past which a new stream is refused with 503 + Retry-After. Real app, real sockets.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { SseReader } from './helpers/sse.ts';

const servers: TestServer[] = [];
const readers: SseReader[] = [];
afterEach(async () => {
  while (readers.length) await readers.pop()!.close();
  while (servers.length) await servers.pop()!.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(server: TestServer, token: string): Promise<SseReader> {
  const r = new SseReader();
  readers.push(r);
  await r.open(`${server.baseUrl}/api/events`, token);
  return r;
}

const displaced = (r: SseReader) => r.frames.some((f) => f.event === 'stream.closed');

describe('streams per terminal', () => {
  it('6 streams of one terminal: the 2 oldest are closed with a last frame, the 4 newest stay open and get updates', async () => {
    const server = await start({});
    const connections: Socket[] = [];
    server.app.server.on('request', (req: IncomingMessage) => req.url === '/api/events' && connections.push(req.socket));
    const streams: SseReader[] = [];
    for (let i = 0; i < 6; i++) {
      streams.push(await open(server, server.token));
      // Opened in this order on the server too (each handler has run before the next request is sent).
      await streams[i].waitFor((f) => f.length > 0);
    }
    await Promise.all(streams.slice(0, 2).map((s) => s.waitFor(() => displaced(s), 3000)));
    const last = streams[0].frames.at(-1)!;
    expect(last.event).toBe('stream.closed');
    expect(JSON.parse(last.data!)).toMatchObject({ reason: 'replaced' });
    expect(server.app.kiosk.streams.size).toBe(4);
    // Their connections are closed too (not left for reuse); the others stay up.
    for (let i = 0; i < 20 && !connections.slice(0, 2).every((c) => c.destroyed); i++) await sleep(50);
    expect(connections.map((c) => c.destroyed)).toEqual([true, true, false, false, false, false]);

    // Heartbeats every 200 ms: the closed ones hear nothing more, the open ones keep hearing.
    const counts = streams.map((s) => s.frames.length);
    await sleep(700);
    expect(streams.map((s, i) => s.frames.length - counts[i]).map((n) => n > 0)).toEqual([false, false, true, true, true, true]);
    expect(streams.slice(2).some(displaced)).toBe(false);

    const k = new Kiosk(server.baseUrl, server.token);
    const p = await k.pay({ orderId: order(), amount: { value: 100, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    for (const s of streams.slice(2))
      await s.waitFor(() => s.updates().some((u) => u.payment.id === p.body.id && u.payment.status === 'succeeded'));
    expect(streams.slice(0, 2).flatMap((s) => s.updates())).toEqual([]);
  });

  it('a terminal at its cap does not touch another terminal’s streams', async () => {
    const server = await start({ SSE_MAX_PER_TERMINAL: '2' });
    const other = (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code)).token;
    const theirs = await open(server, other);
    await theirs.waitFor((f) => f.length > 0);
    for (let i = 0; i < 4; i++) await (await open(server, server.token)).waitFor((f) => f.length > 0);
    await sleep(500);
    expect(displaced(theirs)).toBe(false);
    expect(server.app.kiosk.streams.size).toBe(3);
  });
});

describe('streams in total', () => {
  it('past the server-wide cap a new stream is refused with 503 + Retry-After, unless it takes its own terminal’s place', async () => {
    const server = await start({ SSE_MAX_PER_TERMINAL: '2', SSE_MAX_TOTAL: '3' });
    const other = (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code)).token;
    const a1 = await open(server, server.token);
    const a2 = await open(server, server.token);
    const b1 = await open(server, other);
    await Promise.all([a1, a2, b1].map((s) => s.waitFor((f) => f.length > 0)));

    const refused = await fetch(`${server.baseUrl}/api/events`, { headers: { authorization: `Bearer ${other}` } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await refused.json()).error).toMatchObject({ code: 'too_many_streams', details: { retryAfterSeconds: 30 } });
    expect(displaced(b1)).toBe(false);

    // Terminal A is at its own cap: its newest stream replaces its oldest, the total stays 3.
    const a3 = await open(server, server.token);
    expect(a3.status).toBe(200);
    await a1.waitFor(() => displaced(a1));
    expect(server.app.kiosk.streams.size).toBe(3);
  });
});

async function start(env: Record<string, string>): Promise<TestServer> {
  // No IPNs: one still in flight when the server closes keeps its keep-alive connection open until the
  // keep-alive timeout (Node 20 closes only the connections idle at that moment), outlasting afterEach.
  const s = await startServer({ ...NO_IPN, ...env });
  servers.push(s);
  return s;
}
