// Store-view grants (staff/grants.ts): a supervisor's PIN typed once buys the tablet two minutes of
// store-scope history reads with `X-Staff-Grant`, with no PIN check per page. The grant is bought through the
// PIN gate (wrong PINs counted), reads only, stays with the tablet that bought it, and ends on expiry or when
// its holder is disabled or their role changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../server/store/audit.ts';
import { NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { paidSale, ROLE_ENV, ROLE_PINS } from './helpers/staff-session.ts';
import { refund, voidPayment } from './helpers/staff.ts';

let server: TestServer;
let a: Kiosk; // takes the sales
let b: Kiosk; // another till of the same store: looks at the store's sales
let saleAtA = '';

beforeAll(async () => {
  server = await startServer({ ...NO_IPN, ...ROLE_ENV });
  a = new Kiosk(server.baseUrl, server.token);
  b = new Kiosk(server.baseUrl, (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode('demo-us')).code)).token);
  const sale = await paidSale(a, 4321);
  expect(sale.body.status).toBe('succeeded');
  saleAtA = sale.body.id;
});
afterAll(async () => server?.close());

const buy = (k: Kiosk, pin: string | null) =>
  k.request('POST', '/api/staff/grants', { body: pin === null ? {} : { pin }, headers: pin === null ? {} : { 'x-staff-pin': pin } });
const storeSearch = (k: Kiosk, headers: Record<string, string>) => k.request('GET', '/api/payments?scope=store&q=43.21', { headers });
const pinChecks = async () =>
  (await listAudit(server.app.kiosk.db, {})).filter((e) => e.action === 'pin_accepted' || e.action === 'pin_rejected').length;
const failures = async () =>
  (await server.app.kiosk.db.selectFrom('pin_throttle').select('failures').execute()).reduce((n, r) => n + r.failures, 0);

describe('store-view grants', () => {
  it("a supervisor's PIN buys a grant; pages and the sale's detail read the whole store with it and no PIN check", async () => {
    const r = await buy(b, ROLE_PINS.supervisor);
    expect(r.status).toBe(200);
    expect(r.body.staff.role).toBe('supervisor');
    expect(r.body.grant).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ttl = Date.parse(r.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    // The same end as time left, which the kiosk times the grant by (its clock may be off the proxy's).
    expect(r.body.expiresInMs).toBeGreaterThan(100_000);
    expect(r.body.expiresInMs).toBeLessThanOrEqual(120_000);
    expect(Math.abs(r.body.expiresInMs - ttl)).toBeLessThan(5_000);

    const checksBefore = await pinChecks();
    const headers = { 'x-staff-grant': r.body.grant };
    for (let i = 0; i < 3; i++) {
      const page = await storeSearch(b, headers);
      expect(page.status).toBe(200);
      expect(page.body.payments.map((p: { id: string }) => p.id)).toContain(saleAtA);
    }
    const detail = await b.request('GET', `/api/payments/${saleAtA}/detail?scope=store`, { headers });
    expect([detail.status, detail.body.payment.id]).toEqual([200, saleAtA]);
    expect(await pinChecks()).toBe(checksBefore);
    // Without the grant (or a PIN, or a session) the store is closed to this tablet.
    const none = await storeSearch(b, {});
    expect([none.status, none.body.error.code]).toEqual([403, 'pin_required']);
  });

  it('is bought only with a PIN of a supervisor or higher; a wrong PIN counts as a failed attempt', async () => {
    const noPin = await buy(b, null);
    expect([noPin.status, noPin.body.error?.code]).toEqual([400, 'pin_required']);
    const before = await failures();
    const wrong = await buy(b, '8642');
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'invalid_pin']);
    const cashier = await buy(b, ROLE_PINS.cashier);
    expect([cashier.status, cashier.body.error.code]).toEqual([403, 'supervisor_required']);
    expect(await failures()).toBeGreaterThan(before);
    const manager = await buy(b, ROLE_PINS.manager);
    expect([manager.status, manager.body.staff.role]).toEqual([200, 'manager']);
    // A right PIN clears the tablet's count, so later tests start clean.
    expect((await buy(b, ROLE_PINS.supervisor)).status).toBe(200);
  });

  it('only reads: a refund, a void or the day close with a store-view grant and no PIN is refused and nothing changes', async () => {
    const { grant } = (await buy(a, ROLE_PINS.supervisor)).body;
    const headers = { 'x-staff-grant': grant };
    const r = await a.request('POST', `/api/payments/${saleAtA}/refunds`, {
      body: { amount: { value: 100, currency: 'USD' } },
      headers: { ...headers, 'idempotency-key': crypto.randomUUID() },
    });
    expect([r.status, r.body.error.code]).toEqual([403, 'pin_required']);
    const v = await a.request('POST', `/api/payments/${saleAtA}/void`, { body: {}, headers });
    expect([v.status, v.body.error.code]).toEqual([403, 'pin_required']);
    const close = await a.request('POST', '/api/reports/day/close', { body: { scope: 'store' }, headers });
    expect([close.status, close.body.error.code]).toEqual([403, 'grant_scope']);
    expect(await server.app.kiosk.db.selectFrom('z_reports').select('id').execute()).toEqual([]);
    const p = await server.app.kiosk.db
      .selectFrom('payments')
      .select(['status', 'refunded_value'])
      .where('id', '=', saleAtA)
      .executeTakeFirstOrThrow();
    expect([p.status, Number(p.refunded_value)]).toEqual(['succeeded', 0]);
    // The PIN itself still works there, as ever.
    expect((await refund(a, saleAtA, 100, 'USD', { pin: ROLE_PINS.supervisor })).status).toBe(201);
    expect((await voidPayment(a, 'no-such-payment')).status).toBe(404);
  });

  it("is the buying tablet's only, ends when it expires, and a made-up one is refused", async () => {
    const { grant } = (await buy(b, ROLE_PINS.supervisor)).body;
    const elsewhere = await storeSearch(a, { 'x-staff-grant': grant });
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([403, 'grant_expired']);
    const madeUp = await storeSearch(b, { 'x-staff-grant': 'A'.repeat(43) });
    expect([madeUp.status, madeUp.body.error.code]).toEqual([403, 'grant_expired']);
    expect((await storeSearch(b, { 'x-staff-grant': grant })).status).toBe(200);
    await server.app.kiosk.db
      .updateTable('staff_grants')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    const expired = await storeSearch(b, { 'x-staff-grant': grant });
    expect([expired.status, expired.body.error.code]).toEqual([403, 'grant_expired']);
  });

  it("ends when its holder's role changes or they are disabled", async () => {
    const asManager = { 'x-staff-pin': ROLE_PINS.manager };
    const added = await a.request('POST', '/api/staff/members', {
      body: { name: 'Grace', role: 'supervisor', newPin: '579135' },
      headers: asManager,
    });
    expect(added.status).toBe(201);
    const first = (await buy(b, '579135')).body.grant;
    expect((await storeSearch(b, { 'x-staff-grant': first })).status).toBe(200);
    await a.request('PATCH', `/api/staff/members/${added.body.id}`, { body: { role: 'cashier' }, headers: asManager });
    expect((await storeSearch(b, { 'x-staff-grant': first })).body.error?.code).toBe('grant_expired');

    await a.request('PATCH', `/api/staff/members/${added.body.id}`, { body: { role: 'supervisor' }, headers: asManager });
    const second = (await buy(b, '579135')).body.grant;
    expect((await storeSearch(b, { 'x-staff-grant': second })).status).toBe(200);
    await a.request('DELETE', `/api/staff/members/${added.body.id}`, { headers: asManager });
    expect((await storeSearch(b, { 'x-staff-grant': second })).body.error?.code).toBe('grant_expired');
  });
});
