// The schema edge (issue 8): every request-taking route refuses a deep, huge, wrong-typed, incomplete or
// over-complete body with 400 (413 over the 64 KB limit) and an error code — never a 500 — and changes
// nothing: every table keeps its row count, no provider is called, and the payment it names stays as it was.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOrders } from '../../server/store/orders.ts';
import type { Database } from '../../server/store/schema.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { DEMO_PIN } from './helpers/staff.ts';

let server: TestServer;
let kiosk: Kiosk;
let paidId: string;

const TABLES: (keyof Database)[] = [
  'terminals',
  'pairing_codes',
  'payments',
  'payment_events',
  'webhook_events',
  'staff',
  'refunds',
  'audit_log',
];

beforeAll(async () => {
  // Dozens of malformed pairing and PIN requests within seconds are this test's method, not a kiosk's
  // behaviour: the rate limits in front of those routes (tests/server/limits-rates.test.ts) are raised.
  server = await startServer({ ...NO_IPN, RATE_LIMIT_PAIR_PER_IP: '1000', RATE_LIMIT_PIN_PER_TERMINAL: '1000' });
  kiosk = new Kiosk(server.baseUrl, server.token);
  const paid = await kiosk.pay({ orderId: order(), amount: usd(1000), mode: 'cpm', code: alipayTestCode('0001') });
  expect(paid.body.status).toBe('succeeded');
  paidId = paid.body.id;
});
afterAll(async () => server?.close());

function usd(value: number) {
  return { value, currency: 'USD' };
}

async function snapshot(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await server.app.kiosk.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  counts.orders = await countOrders(server.app.kiosk.db);
  counts.simCalls = server.simLog.length + server.simCalls.length;
  return counts;
}

interface Route {
  method: 'POST' | 'PUT';
  path: () => string;
  headers?: () => Record<string, string>;
  auth?: boolean;
  /** Wrong bodies and the code each is refused with. */
  cases: [string, unknown, string][];
}

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const paidPath = (action: string) => () => `/api/payments/${paidId}/${action}`;
const pin = () => ({ 'x-staff-pin': DEMO_PIN });

const ROUTES: Record<string, Route> = {
  'POST /api/terminals/pair': {
    method: 'POST',
    path: () => '/api/terminals/pair',
    auth: false,
    cases: [
      ['a number for the code', { code: 12345678 }, 'invalid_pairing_code'],
      ['a 60,000-character code', { code: 'A'.repeat(60_000) }, 'invalid_pairing_code'],
      ['no code', {}, 'invalid_pairing_code'],
      ['an unknown field', { code: 'ABCDEFGH', admin: true }, 'invalid_pairing_code'],
      ['a number for the name', { code: 'ABCDEFGH', name: 5 }, 'invalid_terminal_name'],
      ['an array', [{ code: 'ABCDEFGH' }], 'invalid_pairing_code'],
    ],
  },
  'PUT /api/terminal/store': {
    method: 'PUT',
    path: () => '/api/terminal/store',
    cases: [
      ['a number for the store', { storeId: 42 }, 'invalid_store'],
      ['a 60,000-character store id', { storeId: 'd'.repeat(60_000) }, 'invalid_store'],
      ['no store id', {}, 'invalid_store'],
      ['an unknown field', { storeId: 'demo-nz', force: true }, 'invalid_store'],
    ],
  },
  'POST /api/payments': {
    method: 'POST',
    path: () => '/api/payments',
    headers: () => ({ 'idempotency-key': randomUUID() }),
    cases: [
      ['a number for the order id', { orderId: 42, amount: usd(100), mode: 'cpm', code: alipayTestCode('0001') }, 'invalid_order_id'],
      [
        'a text amount',
        { orderId: order(), amount: { value: '100', currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') },
        'invalid_amount',
      ],
      [
        'an amount without currency',
        { orderId: order(), amount: { value: 100 }, mode: 'cpm', code: alipayTestCode('0001') },
        'invalid_currency',
      ],
      [
        'an amount with an unknown field',
        { orderId: order(), amount: { ...usd(100), fx: 1 }, mode: 'cpm', code: alipayTestCode('0001') },
        'invalid_amount',
      ],
      ['no mode', { orderId: order(), amount: usd(100), code: alipayTestCode('0001') }, 'invalid_mode'],
      ['a 60,000-character code', { orderId: order(), amount: usd(100), mode: 'cpm', code: '2'.repeat(60_000) }, 'code_required'],
      [
        'a number for the wallet',
        { orderId: order(), amount: usd(100), mode: 'cpm', code: alipayTestCode('0001'), vendor: 5 },
        'invalid_vendor',
      ],
      ['an unknown field', { orderId: order(), amount: usd(100), mode: 'cpm', code: alipayTestCode('0001'), tip: 50 }, 'invalid_request'],
      [
        'an unknown field nested a few levels',
        { orderId: order(), amount: usd(100), mode: 'cpm', code: alipayTestCode('0001'), x: [[[[{ y: 1 }]]]] },
        'invalid_request',
      ],
      ['a string', 'pay me', 'invalid_request'],
      ['null', null, 'invalid_request'],
    ],
  },
  'POST /api/payments/:id/cancel': {
    method: 'POST',
    path: paidPath('cancel'),
    cases: [
      ['a body with a field', { reason: 'customer left' }, 'invalid_request'],
      ['an array', [], 'invalid_request'],
    ],
  },
  'POST /api/payments/:id/recheck': {
    method: 'POST',
    path: paidPath('recheck'),
    cases: [['a body with a field', { now: true }, 'invalid_request']],
  },
  'POST /api/payments/:id/void': {
    method: 'POST',
    path: paidPath('void'),
    headers: pin,
    cases: [
      ['a number for the PIN', { pin: 1234 }, 'invalid_request'],
      ['an unknown field', { pin: DEMO_PIN, force: true }, 'invalid_request'],
      ['a 60,000-character PIN', { pin: '1'.repeat(60_000) }, 'invalid_request'],
    ],
  },
  'POST /api/payments/:id/refunds': {
    method: 'POST',
    path: paidPath('refunds'),
    headers: () => ({ ...pin(), 'idempotency-key': randomUUID() }),
    cases: [
      ['a text amount', { amount: { value: '100', currency: 'USD' } }, 'invalid_amount'],
      ['a fractional amount', { amount: { value: 1.5, currency: 'USD' } }, 'invalid_amount'],
      ['no amount', {}, 'invalid_amount'],
      ['an amount without currency', { amount: { value: 100 } }, 'invalid_currency'],
      ['an unknown field', { amount: usd(100), reason: 'goodwill' }, 'invalid_request'],
      ['an array', [usd(100)], 'invalid_request'],
    ],
  },
  'POST /api/payments/:id/acknowledge': {
    method: 'POST',
    path: paidPath('acknowledge'),
    headers: pin,
    cases: [['an unknown field', { note: 'seen' }, 'invalid_request']],
  },
  'POST /api/orders': {
    method: 'POST',
    path: () => '/api/orders',
    cases: [
      ['a 60,000-character line name', orderWith({ name: 'n'.repeat(60_000) }), 'invalid_line'],
      ['a number for the sku', orderWith({ sku: 5 }), 'invalid_line'],
      ['a text quantity', orderWith({ quantity: '2' }), 'invalid_line'],
      ['lines that are not a list', { ...orderWith({}), lines: { 0: line() } }, 'invalid_lines'],
      ['no total', (({ total: _t, ...o }) => o)(orderWith({})), 'invalid_amount'],
      ['a number for the status', { ...orderWith({}), status: 5 }, 'invalid_status'],
      ['an unknown field', { ...orderWith({}), discount: usd(1) }, 'invalid_request'],
    ],
  },
};

function line(): Record<string, unknown> {
  return { sku: 'tea', name: 'Tea', quantity: 2, unitPrice: usd(300) };
}

function orderWith(lineChanges: Record<string, unknown>) {
  return {
    id: randomUUID(),
    lines: [{ ...line(), ...lineChanges }],
    total: usd(600),
    createdAt: '2025-03-01T10:00:00.000Z',
    status: 'queued',
  };
}

async function send(route: Route, body: { json: unknown } | { raw: string }, headers: Record<string, string> = {}) {
  return kiosk.request(route.method, route.path(), {
    ...('raw' in body ? { rawBody: body.raw } : { body: body.json }),
    headers: { 'content-type': 'application/json', ...route.headers?.(), ...headers },
    auth: route.auth,
  });
}

async function expectRefused(make: () => Promise<{ status: number; body: any }>, status: number, code: string) {
  const before = await snapshot();
  const paymentBefore = (await kiosk.get(paidId)).body;
  const r = await make();
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(r.body.error.message).toMatch(/\S/);
  expect(await snapshot()).toEqual(before);
  expect((await kiosk.get(paidId)).body).toEqual(paymentBefore);
  return r.body.error;
}

describe.each(Object.entries(ROUTES))('%s', (_name, route) => {
  it('refuses a body nested 5,000 levels deep, as a whole and inside a field', async () => {
    await expectRefused(() => send(route, { raw: deep(5_000) }), 400, 'body_too_deep');
    await expectRefused(() => send(route, { raw: `{"pin":"1234","amount":${deep(5_000)}}` }), 400, 'body_too_deep');
    await expectRefused(
      () => send(route, { raw: `{"code":${deep(5_000)}}` }, { 'content-type': 'application/json; charset=utf-8' }),
      400,
      'body_too_deep',
    );
  });

  it('refuses a body over 64 KB with 413', async () => {
    await expectRefused(() => send(route, { json: { pad: 'x'.repeat(70_000) } }), 413, 'body_too_large');
  });

  it('refuses broken JSON', async () => {
    await expectRefused(() => send(route, { raw: '{"amount":' }), 400, 'invalid_json');
  });

  it.each(route.cases)('refuses %s', async (_case, body, code) => {
    await expectRefused(() => send(route, { json: body }), 400, code);
  });
});

describe('headers, queries and path parameters', () => {
  it('a payment needs a well-formed Idempotency-Key; an empty one is none', async () => {
    const body = { orderId: order(), amount: usd(100), mode: 'cpm', code: alipayTestCode('0001') };
    await expectRefused(() => kiosk.pay(body, ''), 400, 'idempotency_key_required');
    await expectRefused(() => kiosk.pay(body, 'has spaces'), 400, 'invalid_idempotency_key');
    await expectRefused(() => kiosk.pay(body, 'k'.repeat(256)), 400, 'invalid_idempotency_key');
  });

  it('a refund needs an Idempotency-Key, and an over-long PIN header is refused before the PIN check', async () => {
    const route = ROUTES['POST /api/payments/:id/refunds'];
    await expectRefused(
      () => kiosk.request('POST', route.path(), { body: { amount: usd(100) }, headers: pin() }),
      400,
      'idempotency_key_required',
    );
    const err = await expectRefused(
      () =>
        kiosk.request('POST', route.path(), {
          body: { amount: usd(100) },
          headers: { 'idempotency-key': randomUUID(), 'x-staff-pin': '9'.repeat(65) },
        }),
      400,
      'invalid_headers',
    );
    expect(err.details).toEqual({ field: 'x-staff-pin' });
  });

  it('names the field at fault', async () => {
    const err = await expectRefused(
      () => send(ROUTES['POST /api/orders'], { json: { ...orderWith({}), lines: [line(), { ...line(), quantity: 0 }] } }),
      400,
      'invalid_line',
    );
    expect(err.details).toEqual({ field: 'lines[1].quantity' });
    expect(err.message).toContain('lines[1].quantity');
    const unknown = await expectRefused(() => send(ROUTES['POST /api/orders'], { json: orderWith({ tax: 1 }) }), 400, 'invalid_line');
    expect(unknown.message).toBe('lines[0] has unknown fields: tax.');
  });

  it('refuses malformed query strings', async () => {
    await expectRefused(() => kiosk.request('GET', '/api/payments?limit=1.5'), 400, 'invalid_limit');
    await expectRefused(() => kiosk.request('GET', '/api/payments?limit=abc'), 400, 'invalid_limit');
    await expectRefused(() => kiosk.request('GET', '/api/payments?limit=201'), 400, 'invalid_limit');
    await expectRefused(() => kiosk.request('GET', `/api/payments?orderId=${'o'.repeat(129)}`), 400, 'invalid_order_id');
    await expectRefused(() => kiosk.request('GET', '/api/orders?status=paid,bogus'), 400, 'invalid_status');
    await expectRefused(() => kiosk.request('GET', '/api/orders?limit=0'), 400, 'invalid_limit');
    const ok = await kiosk.request('GET', '/api/payments?limit=2');
    expect(ok.status).toBe(200);
    expect(ok.body.payments.length).toBeLessThanOrEqual(2);
  });

  it("answers an over-long path parameter with the project's error body", async () => {
    const r = await kiosk.get(`pay_${'x'.repeat(200)}`);
    expect(r.status).toBe(414);
    expect(r.body).toEqual({ error: { code: 'uri_too_long', message: expect.stringMatching(/\S/) } });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const cancel = await expectRefused(() => kiosk.cancel(`pay_${'x'.repeat(200)}`), 414, 'uri_too_long');
    expect(cancel.details).toBeUndefined();
  });

  it("answers a malformed URL with the project's error body", async () => {
    await expectRefused(() => kiosk.request('GET', '/api/payments/%E0%A4%A'), 400, 'invalid_url');
  });

  it('answers 404 with a code for an unknown route; its body is parsed (and refused if too deep) first', async () => {
    const r = await kiosk.request('POST', '/api/nope', { body: { a: 1 } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
    await expectRefused(
      () => kiosk.request('POST', '/api/nope', { rawBody: deep(5_000), headers: { 'content-type': 'application/json' } }),
      400,
      'body_too_deep',
    );
  });
});
