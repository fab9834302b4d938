// Request-rate limits (issue 9): pairing per address and for the whole server, the API per terminal, PIN
// actions per terminal, webhooks per provider — each answers 429 rate_limited with Retry-After, and only the
// one key that went over is refused. Real app on a real port, limits set low so a test can reach them.
import { request as httpRequest } from 'node:http';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { installRateLimits } from '../../server/routes/limits.ts';
import { NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order, type Reply } from './helpers/kiosk.ts';
import { voidPayment } from './helpers/staff.ts';
import { listAudit } from '../../server/store/audit.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function start(env: Record<string, string>): Promise<TestServer> {
  const s = await startServer(env);
  servers.push(s);
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const code = (r: { status: number; body: any }) => `${r.status} ${r.body?.error?.code ?? r.body?.status}`;

/** POST JSON from a chosen loopback address (127.0.0.x all reach the server on Linux): another client. */
function postFrom(
  localAddress: string,
  baseUrl: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: any; retryAfter: string | undefined }> {
  const url = new URL(path, baseUrl);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), retryAfter: res.headers['retry-after'] }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function expectRateLimited(r: Reply | { status: number; body: any; retryAfter?: string }, maxSeconds: number): number {
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe('rate_limited');
  const header = 'headers' in r ? r.headers.get('retry-after') : r.retryAfter;
  const seconds = Number(header);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
  expect(r.body.error.details).toEqual({ retryAfterSeconds: seconds });
  expect(r.body.error.message).toMatch(new RegExp(`${seconds} s`));
  return seconds;
}

describe('pairing', () => {
  it('refuses guesses past the per-address limit with 429 + Retry-After, even the right code; the right code pairs after the window', async () => {
    // startServer pairs its own terminal first: one of the 4 attempts this window.
    const server = await start({ RATE_LIMIT_PAIR_PER_IP: '4', RATE_LIMIT_PAIR_GLOBAL: '100', RATE_LIMIT_PAIR_WINDOW_MS: '2000' });
    const anon = new Kiosk(server.baseUrl, '');
    const pairWith = (c: string) => anon.request('POST', '/api/terminals/pair', { body: { code: c }, auth: false });
    const { code: real } = await server.app.kiosk.createPairingCode();
    const guesses = [];
    for (let i = 0; i < 6; i++) guesses.push(await pairWith(`ZZZZZZZ${'ABCDEF'[i]}`));
    expect(guesses.slice(0, 3).map(code)).toEqual(Array(3).fill('401 invalid_pairing_code'));
    for (const g of guesses.slice(3)) expectRateLimited(g, 2);
    // Limited, the right code is not even looked at (and so not spent).
    const early = await pairWith(real);
    const wait = expectRateLimited(early, 2);
    expect(early.body.error.message).toMatch(/from this address/);
    await sleep(wait * 1000 + 100);
    const paired = await pairWith(real);
    expect(paired.status).toBe(201);
    expect(paired.body.terminalId).toMatch(/^term_/);
  });

  it('caps the whole server too: an address refused by its own limit does not use up the global one', async () => {
    const server = await start({ RATE_LIMIT_PAIR_PER_IP: '3', RATE_LIMIT_PAIR_GLOBAL: '5', RATE_LIMIT_PAIR_WINDOW_MS: '60000' });
    const guess = (from: string) => postFrom(from, server.baseUrl, '/api/terminals/pair', { code: 'ZZZZZZZZ' });
    // Global count: 1 (startServer's own pairing from 127.0.0.1).
    const a = [await guess('127.0.0.2'), await guess('127.0.0.2'), await guess('127.0.0.2'), await guess('127.0.0.2')];
    expect(a.slice(0, 3).map(code)).toEqual(Array(3).fill('401 invalid_pairing_code'));
    expect(expectRateLimited(a[3], 60)).toBeGreaterThan(50);
    expect(a[3].body.error.message).toMatch(/from this address/);
    // Global count: 4. Another address gets one more attempt, then the server-wide limit speaks.
    expect(code(await guess('127.0.0.3'))).toBe('401 invalid_pairing_code');
    const b = await guess('127.0.0.3');
    expectRateLimited(b, 60);
    expect(b.body.error.message).toMatch(/on this server/);
    const { code: real } = await server.app.kiosk.createPairingCode();
    expectRateLimited(await postFrom('127.0.0.4', server.baseUrl, '/api/terminals/pair', { code: real }), 60);
  });
});

describe('the API, per terminal', () => {
  it('refuses one terminal past its limit on every route, while another terminal of the same store carries on', async () => {
    const server = await start({ ...NO_IPN, RATE_LIMIT_API_PER_TERMINAL: '12', RATE_LIMIT_API_WINDOW_MS: '60000' });
    const busy = new Kiosk(server.baseUrl, server.token);
    const other = new Kiosk(server.baseUrl, (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code)).token);
    const answers: Reply[] = [];
    for (let i = 0; i < 12; i++) answers.push(await busy.request('GET', '/api/terminal'));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expectRateLimited(await busy.request('GET', '/api/terminal'), 60);
    const pay = await busy.pay({ orderId: order(), amount: { value: 100, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    expectRateLimited(pay, 60);
    expect(await server.countPayments()).toBe(0);
    expect((await busy.request('GET', '/api/events')).status).toBe(429);

    expect((await other.request('GET', '/api/terminal')).status).toBe(200);
    const paid = await other.pay({ orderId: order(), amount: { value: 100, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    expect(paid.body.status).toBe('succeeded');
    // Authentication comes first: a request without a valid token is a 401, not a count against anyone.
    expect((await new Kiosk(server.baseUrl, 'x'.repeat(43)).request('GET', '/api/terminal')).status).toBe(401);
  });
});

describe('PIN-protected actions, per terminal', () => {
  it('a coarse limit in front of the PIN lockout: past it, 429 rate_limited before any PIN is checked; other routes and tablets unaffected', async () => {
    const server = await start({ ...NO_IPN, RATE_LIMIT_PIN_PER_TERMINAL: '3', RATE_LIMIT_PIN_WINDOW_MS: '60000' });
    const k = new Kiosk(server.baseUrl, server.token);
    const p = await k.pay({ orderId: order(), amount: { value: 1000, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    expect(p.body.status).toBe('succeeded');
    const wrong = [
      await voidPayment(k, p.body.id, '99999999'),
      await voidPayment(k, p.body.id, '99999998'),
      await voidPayment(k, p.body.id, '99999997'),
    ];
    expect(wrong.map(code)).toEqual(Array(3).fill('403 invalid_pin'));
    const limited = await voidPayment(k, p.body.id);
    expectRateLimited(limited, 60);
    expect(limited.body.error.message).toMatch(/staff PIN/);
    // The refused request never reached the PIN gate: three attempts audited, not four.
    expect(await listAudit(server.app.kiosk.db, { paymentId: p.body.id })).toHaveLength(3);
    expect((await k.get(p.body.id)).body.status).toBe('succeeded');

    const other = new Kiosk(server.baseUrl, (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code)).token);
    const q = await other.pay({ orderId: order(), amount: { value: 500, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    expect((await voidPayment(other, q.body.id)).body.status).toBe('reversed');
  });
});

describe('webhooks, per provider', () => {
  it('refuses a flood to one provider with 429 and leaves the others open', async () => {
    const server = await start({ ...NO_IPN, RATE_LIMIT_WEBHOOK_PER_PROVIDER: '3', RATE_LIMIT_WEBHOOK_WINDOW_MS: '60000' });
    const post = async (provider: string) => {
      const res = await fetch(`${server.baseUrl}/webhooks/${provider}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'forged=1',
      });
      return { status: res.status, body: await res.json(), headers: res.headers } as Reply;
    };
    const first = [await post('pockyt'), await post('pockyt'), await post('pockyt')];
    expect(first.map((r) => r.status)).not.toContain(429);
    expectRateLimited(await post('pockyt'), 60);
    expect((await post('payby')).status).not.toBe(429);
  });

  it('a genuine notification refused by the limit arrives when the provider retries it', async () => {
    const server = await start({
      // No polling within the test: only the notification can settle the payment.
      POLL_INITIAL_MS: '60000',
      POLL_MAX_MS: '60000',
      RATE_LIMIT_WEBHOOK_PER_PROVIDER: '2',
      RATE_LIMIT_WEBHOOK_WINDOW_MS: '3000',
      SIM_POCKYT_IPN_SCHEDULE_MS: '0,4000',
    });
    const k = new Kiosk(server.baseUrl, server.token);
    const p = await k.pay({ orderId: order(), amount: { value: 1250, currency: 'USD' }, mode: 'cpm', code: await k.walletCode() });
    expect(p.body.status).toBe('pending');
    for (let i = 0; i < 3; i++) {
      await fetch(`${server.baseUrl}/webhooks/pockyt`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'forged=1',
      });
    }
    expect((await k.sim('POST', `/control/transactions/${p.body.providerRef}/approve`)).status).toBe(200);
    await sleep(1000);
    // The simulator's first attempt was refused (still pending, not delivered)...
    expect((await k.get(p.body.id)).body.status).toBe('pending');
    expect((await k.sim('GET', `/control/transactions/${p.body.providerRef}`)).body.ipn).toMatchObject({ attempts: 1, delivered: false });
    // ...and its retry, in a new window, is taken.
    const until = Date.now() + 8000;
    while ((await k.get(p.body.id)).body.status !== 'succeeded' && Date.now() < until) await sleep(100);
    expect((await k.get(p.body.id)).body.status).toBe('succeeded');
    // Marked delivered once the proxy's answer reaches the simulator, a moment after the payment committed.
    await expect
      .poll(async () => (await k.sim('GET', `/control/transactions/${p.body.providerRef}`)).body.ipn, { timeout: 5000 })
      .toMatchObject({ attempts: 2, delivered: true });
  }, 20_000);
});

describe('wiring', () => {
  it('refuses to start when a limited route is no longer where the limits look for it', async () => {
    const app = Fastify();
    await installRateLimits(app, loadConfig({}).limits);
    app.post('/api/terminals/pair', async () => ({}));
    app.get('/api/terminal', async () => ({}));
    // No PIN-protected route and no webhook route: a rename would have left them unlimited.
    await expect(app.ready()).rejects.toThrow(/rate limits matched no route for: pin, webhooks/);
    await app.close();
  });
});
