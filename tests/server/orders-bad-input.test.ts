// Every malformed order is refused with 400 and a stable code, and nothing is written.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOrders } from '../../server/store/orders.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { startServer, type TestServer } from './helpers/app.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer();
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });
const line = { sku: 'tea', name: 'Tea', quantity: 2, unitPrice: usd(300) };
const good = () => ({ id: randomUUID(), lines: [line], total: usd(600), createdAt: '2025-03-01T10:00:00.000Z', status: 'queued' });

const cases: [string, (o: ReturnType<typeof good>) => unknown, string][] = [
  ['not an object', () => [1, 2], 'invalid_request'],
  ['unknown field', (o) => ({ ...o, discount: 5 }), 'invalid_request'],
  ['missing id', ({ id: _id, ...o }) => o, 'invalid_order_id'],
  ['id with spaces', (o) => ({ ...o, id: 'has spaces in it' }), 'invalid_order_id'],
  ['id too short', (o) => ({ ...o, id: 'abc' }), 'invalid_order_id'],
  ['no lines', (o) => ({ ...o, lines: [], total: usd(600) }), 'invalid_lines'],
  ['too many lines', (o) => ({ ...o, lines: Array(201).fill({ ...line, quantity: 1 }), total: usd(60300) }), 'invalid_lines'],
  ['fractional minor units', (o) => ({ ...o, lines: [{ ...line, unitPrice: usd(300.5) }], total: usd(601) }), 'invalid_amount'],
  ['price as a decimal string', (o) => ({ ...o, lines: [{ ...line, unitPrice: { value: '3.00', currency: 'USD' } }] }), 'invalid_amount'],
  ['negative price', (o) => ({ ...o, lines: [{ ...line, unitPrice: usd(-300) }], total: usd(-600) }), 'invalid_amount'],
  ['zero quantity', (o) => ({ ...o, lines: [{ ...line, quantity: 0 }] }), 'invalid_line'],
  ['fractional quantity', (o) => ({ ...o, lines: [{ ...line, quantity: 1.5 }], total: usd(450) }), 'invalid_line'],
  ['empty name', (o) => ({ ...o, lines: [{ ...line, name: '  ' }] }), 'invalid_line'],
  ['unknown line field', (o) => ({ ...o, lines: [{ ...line, tax: 1 }] }), 'invalid_line'],
  ['total does not add up', (o) => ({ ...o, total: usd(599) }), 'total_mismatch'],
  [
    'other currency',
    (o) => ({ ...o, lines: [{ ...line, unitPrice: { value: 300, currency: 'NZD' } }], total: { value: 600, currency: 'NZD' } }),
    'unsupported_currency',
  ],
  [
    'over the store maximum',
    (o) => ({ ...o, lines: [{ ...line, quantity: 1, unitPrice: usd(1e12) }], total: usd(1e12) }),
    'amount_too_large',
  ],
  ['bad createdAt', (o) => ({ ...o, createdAt: 'yesterday' }), 'invalid_created_at'],
  ['client-only status', (o) => ({ ...o, status: 'synced' }), 'invalid_status'],
];

describe('POST /api/orders refuses bad input and writes nothing', () => {
  it.each(cases)('%s', async (_name, make, code) => {
    const before = await countOrders(server.app.kiosk.db);
    const r = await kiosk.request('POST', '/api/orders', { body: make(good()) });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toMatch(/\S/);
    expect(await countOrders(server.app.kiosk.db)).toBe(before);
  });

  it('refuses invalid JSON and leaves an existing order untouched by a bad edit', async () => {
    expect((await kiosk.request('POST', '/api/orders', { rawBody: '{"id":' })).status).toBe(400);
    const o = good();
    expect((await kiosk.request('POST', '/api/orders', { body: o })).status).toBe(201);
    const bad = await kiosk.request('POST', '/api/orders', { body: { ...o, total: usd(1) } });
    expect(bad.status).toBe(400);
    const list = await kiosk.request('GET', '/api/orders');
    expect(list.body.orders.find((x: { id: string }) => x.id === o.id).total).toEqual(usd(600));
  });
});
