// Server timeouts (issue 9): a client that trickles its body, trickles its headers, sends nothing, or idles on
// a keep-alive connection is cut off; a request whose body is complete is not, however long its answer takes
// (a payment waiting on the provider) or streams (SSE) — Node's requestTimeout covers receiving only.
// Real app on a real port, raw sockets, timeouts shortened: request 1.5 s, headers 0.8 s, keep-alive 1 s.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { SseReader } from './helpers/sse.ts';

const REQUEST_MS = 1500;
const HEADERS_MS = 800;
const KEEP_ALIVE_MS = 1000;
// Node checks these every min(headers, request)/4 = 200 ms; allow that plus scheduling on a busy machine.
const SLACK_MS = 1500;

let server: TestServer;
let port = 0;

beforeAll(async () => {
  server = await startServer({
    ...NO_IPN,
    REQUEST_TIMEOUT_MS: String(REQUEST_MS),
    HEADERS_TIMEOUT_MS: String(HEADERS_MS),
    KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
    // Pockyt's prepay answers after 2.5 s, longer than the request timeout; the adapter waits up to 5 s.
    SIM_POCKYT_SLOW_MS: '2500',
    POCKYT_PREPAY_TIMEOUT_MS: '5000',
  });
  port = Number(new URL(server.baseUrl).port);
});
afterAll(async () => server?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Probe {
  socket: Socket;
  /** Resolves when the server closes the connection: after how long, and what it said. */
  closed: Promise<{ afterMs: number; text: string }>;
}

function probe(): Probe {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (text += d));
  socket.on('error', () => {});
  const closed = new Promise<{ afterMs: number; text: string }>((resolve) =>
    socket.on('close', () => resolve({ afterMs: Date.now() - started, text })),
  );
  return { socket, closed };
}

/** Writes `chunk` every `everyMs` until the socket closes. */
function trickle(socket: Socket, chunk: string, everyMs: number): void {
  const t = setInterval(() => (socket.destroyed ? clearInterval(t) : socket.write(chunk)), everyMs);
  socket.on('close', () => clearInterval(t));
}

/** Fails the test instead of hanging when the server never closes. */
async function closedWithin<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    sleep(ms).then(() => {
      throw new Error(`connection still open after ${ms} ms`);
    }),
  ]);
}

describe('slow clients are cut off', () => {
  it('a body trickled a byte at a time: 408 and closed after the request timeout', async () => {
    const { socket, closed } = probe();
    socket.write(
      `POST /api/terminals/pair HTTP/1.1\r\nHost: kiosk\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"code":"`,
    );
    trickle(socket, 'A', 100);
    const r = await closedWithin(closed, REQUEST_MS + SLACK_MS + 2000);
    expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    // The headers came at once: it is the request timeout, not the headers one, that ended it.
    expect(r.afterMs).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(r.afterMs).toBeLessThan(REQUEST_MS + SLACK_MS);
  });

  it('slowloris, headers a line at a time: 408 and closed after the headers timeout', async () => {
    const { socket, closed } = probe();
    socket.write('GET /healthz HTTP/1.1\r\nHost: kiosk\r\n');
    let n = 0;
    const t = setInterval(() => (socket.destroyed ? clearInterval(t) : socket.write(`X-Pad-${n++}: a\r\n`)), 100);
    const r = await closedWithin(closed, HEADERS_MS + SLACK_MS + 2000);
    clearInterval(t);
    expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.afterMs).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(r.afterMs).toBeLessThan(HEADERS_MS + SLACK_MS);
  });

  it('a connection that sends nothing is closed after the headers timeout', async () => {
    const { closed } = probe();
    const r = await closedWithin(closed, HEADERS_MS + SLACK_MS + 2000);
    expect(r.afterMs).toBeLessThan(HEADERS_MS + SLACK_MS);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const { socket, closed } = probe();
    socket.write('GET /healthz HTTP/1.1\r\nHost: kiosk\r\n\r\n');
    const r = await closedWithin(closed, KEEP_ALIVE_MS + SLACK_MS + 2000);
    expect(r.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.text).toMatch(/Keep-Alive: timeout=1/i);
    expect(r.afterMs).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 50);
  });
});

describe('complete requests are not cut off, however long the answer', () => {
  it('an SSE stream outlives the request and headers timeouts several times over, heartbeats flowing', async () => {
    const sse = new SseReader();
    await sse.open(`${server.baseUrl}/api/events`, server.token);
    expect(sse.status).toBe(200);
    await sleep(REQUEST_MS * 2 + 500);
    const seen = sse.frames.length;
    await sleep(600);
    expect(sse.frames.length).toBeGreaterThan(seen);
    expect(server.app.kiosk.streams.size).toBe(1);
    await sse.close();
  });

  it('a payment whose provider answers after the request timeout still gets its answer', async () => {
    const k = new Kiosk(server.baseUrl, server.token);
    const started = Date.now();
    const r = await k.pay({ orderId: order(), amount: { value: 100, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0005') });
    expect(Date.now() - started).toBeGreaterThan(REQUEST_MS);
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('succeeded');
  });

  it('the Node server carries the configured values', () => {
    const s = server.app.server;
    expect({ request: s.requestTimeout, headers: s.headersTimeout, keepAlive: s.keepAliveTimeout, idle: s.timeout }).toEqual({
      request: REQUEST_MS,
      headers: HEADERS_MS,
      keepAlive: KEEP_ALIVE_MS,
      idle: 120_000,
    });
  });
});
