// The Day close screen's grant (staff/grants.ts, scope `day_close`): a supervisor's PIN typed once buys the
// tablet two minutes of day-report reads (JSON and CSV, reconciliation included) and the Z close, with no PIN
// check per request. A History screen's `store_view` grant reads the report but never closes the day; an
// expired, made-up, other tablet's or other store's grant is refused and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../server/store/audit.ts';
import { NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { paidSale, ROLE_ENV, ROLE_PINS } from './helpers/staff-session.ts';

let server: TestServer;
let a: Kiosk; // demo-us, takes a sale and closes its day
let b: Kiosk; // another till of demo-us
let nz: Kiosk; // a till of another store

const pairInto = async (store: string) =>
  new Kiosk(server.baseUrl, (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode(store)).code)).token);

beforeAll(async () => {
  server = await startServer({ ...NO_IPN, ...ROLE_ENV });
  a = new Kiosk(server.baseUrl, server.token);
  b = await pairInto('demo-us');
  nz = await pairInto('demo-nz');
  expect((await paidSale(a, 2500)).body.status).toBe('succeeded');
});
afterAll(async () => server?.close());

const buy = (k: Kiosk, pin: string, scope?: 'store_view' | 'day_close') =>
  k.request('POST', '/api/staff/grants', { body: scope ? { pin, scope } : { pin } });
const report = (k: Kiosk, headers: Record<string, string>, accept?: string) =>
  k.request('GET', '/api/reports/day?scope=terminal&reconcile=false', { headers: accept ? { ...headers, accept } : headers });
const closeDay = (k: Kiosk, headers: Record<string, string>) =>
  k.request('POST', '/api/reports/day/close', { body: { scope: 'terminal' }, headers });
const pinChecks = async () =>
  (await listAudit(server.app.kiosk.db, {})).filter((e) => e.action === 'pin_accepted' || e.action === 'pin_rejected').length;
const zCount = async () => (await server.app.kiosk.db.selectFrom('z_reports').select('id').execute()).length;
const outcome = (r: { status: number; body: { error?: { code: string } } }) => `${r.status} ${r.body.error?.code ?? ''}`.trim();

describe('Day close with a grant', () => {
  it('only a supervisor or higher buys a day_close grant; a cashier PIN is a refused attempt', async () => {
    expect(outcome(await buy(b, ROLE_PINS.cashier, 'day_close'))).toBe('403 supervisor_required');
    const manager = await buy(b, ROLE_PINS.manager, 'day_close');
    expect([manager.status, manager.body.scope, manager.body.staff.role]).toEqual([200, 'day_close', 'manager']);
    // Without a scope the grant is the History screen's store view, as before.
    expect((await buy(b, ROLE_PINS.supervisor)).body.scope).toBe('store_view');
    expect(outcome(await b.request('POST', '/api/staff/grants', { body: { pin: ROLE_PINS.supervisor, scope: 'refund' } }))).toBe(
      '400 invalid_grant_scope',
    );
  });

  it('a store_view grant reads the report but cannot close the day: nothing is recorded', async () => {
    const { grant } = (await buy(a, ROLE_PINS.supervisor, 'store_view')).body;
    const headers = { 'x-staff-grant': grant };
    const r = await report(a, headers);
    expect([r.status, r.body.kind]).toEqual([200, 'X']);
    const before = await zCount();
    const z = await closeDay(a, headers);
    expect([z.status, z.body.error.code, z.body.error.details.scope]).toEqual([403, 'grant_scope', 'store_view']);
    expect(await zCount()).toBe(before);
    expect((await report(a, headers)).body.kind).toBe('X');
  });

  it("refuses an expired, made-up, another tablet's or another store's grant, for the report and the Z", async () => {
    const { grant } = (await buy(a, ROLE_PINS.supervisor, 'day_close')).body;
    const before = await zCount();
    const elsewhere = await buy(nz, ROLE_PINS.supervisor, 'day_close');
    expect(elsewhere.status).toBe(200);
    for (const [k, token] of [
      [b, grant], // another till of the same store
      [nz, grant], // another store's till
      [a, elsewhere.body.grant as string], // another store's grant at this till
      [a, 'A'.repeat(43)], // made up, the right shape
      [a, 'not-a-grant'],
    ] as [Kiosk, string][]) {
      expect(outcome(await report(k, { 'x-staff-grant': token }))).toBe('403 grant_expired');
      expect(outcome(await closeDay(k, { 'x-staff-grant': token }))).toBe('403 grant_expired');
    }
    expect((await report(a, { 'x-staff-grant': grant })).status).toBe(200);
    await server.app.kiosk.db
      .updateTable('staff_grants')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    expect(outcome(await report(a, { 'x-staff-grant': grant }))).toBe('403 grant_expired');
    expect(outcome(await closeDay(a, { 'x-staff-grant': grant }))).toBe('403 grant_expired');
    expect(await zCount()).toBe(before);
  });

  it('with a day_close grant: the X (JSON and CSV) and the Z, no PIN check after the one that bought it', async () => {
    const bought = await buy(a, ROLE_PINS.supervisor, 'day_close');
    expect(bought.status).toBe(200);
    const headers = { 'x-staff-grant': bought.body.grant };
    const checks = await pinChecks();

    const x = await report(a, headers);
    expect([x.status, x.body.kind, x.body.currencies.USD.gross.value]).toEqual([200, 'X', 2500]);
    const csv = await report(a, headers, 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(String(csv.body)).toContain('total,USD,,,1,25.00,0.00,25.00');
    const reconciled = await a.request('GET', '/api/reports/day?scope=store', { headers });
    expect([reconciled.status, typeof reconciled.body.reconciliation]).toEqual([200, 'object']);

    const z = await closeDay(a, headers);
    expect([z.status, z.body.created, z.body.report.kind]).toEqual([201, true, 'Z']);
    // The Z names the supervisor whose PIN bought the grant.
    expect(z.body.report.closed.closedBy).toMatchObject({ staffId: bought.body.staff.id, name: bought.body.staff.name });
    expect(bought.body.staff.id).toBe('env:supervisor');
    expect((await closeDay(a, headers)).status).toBe(200);
    expect(await pinChecks()).toBe(checks);
  });

  it('a PIN in X-Staff-Pin still works for scripts, without any grant', async () => {
    const r = await report(b, { 'x-staff-pin': ROLE_PINS.supervisor });
    expect([r.status, r.body.kind]).toEqual([200, 'X']);
  });
});
