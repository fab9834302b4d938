// A manager runs the store's staff and tablets: staff list/add/role/PIN reset/disable, terminal list with
// last seen time, rename and revoke (the revoked tablet gets 401 on its next call; its event stream ends).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../server/store/audit.ts';
import { NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { ROLE_ENV, ROLE_PINS, session, signIn, signOut } from './helpers/staff-session.ts';

let server: TestServer;
let k: Kiosk;
beforeAll(async () => {
  server = await startServer({ ...NO_IPN, ...ROLE_ENV, RATE_LIMIT_PIN_PER_TERMINAL: '1000' });
  k = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const asManager = { 'x-staff-pin': ROLE_PINS.manager };
const newTablet = async (store?: string) => {
  const { token, terminalId } = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode(store)).code);
  return { tablet: new Kiosk(server.baseUrl, token), terminalId };
};

describe('staff management', () => {
  it('adds a member who then signs in with their own PIN; changes their role; resets their PIN; disables them', async () => {
    await signIn(k, ROLE_PINS.manager);
    const added = await k.request('POST', '/api/staff/members', { body: { name: 'Ana', role: 'cashier', newPin: '246813' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'Ana', role: 'cashier', source: 'database', disabled: false });
    const ana = added.body.id as string;
    // A PIN someone already has (in the database or the environment) is refused: the PIN says who acted.
    for (const newPin of ['246813', ROLE_PINS.supervisor]) {
      const clash = await k.request('POST', '/api/staff/members', { body: { name: 'Bo', role: 'cashier', newPin } });
      expect([clash.status, clash.body.error.code]).toEqual([409, 'pin_taken']);
    }
    const bad = await k.request('POST', '/api/staff/members', { body: { name: ' ', role: 'owner', newPin: '12' } });
    expect(bad.status).toBe(400);
    await signOut(k);

    const { tablet } = await newTablet();
    expect((await signIn(tablet, '246813')).body.staff).toEqual({ id: ana, name: 'Ana', role: 'cashier' });
    // A role change signs Ana out everywhere (her session carried the old role).
    const promoted = await k.request('PATCH', `/api/staff/members/${ana}`, { body: { role: 'supervisor' }, headers: asManager });
    expect(promoted.body.role).toBe('supervisor');
    expect((await session(tablet)).body.staff).toBeNull();
    expect((await signIn(tablet, '246813')).body.staff.role).toBe('supervisor');
    // PIN reset: the old one stops working, the new one works.
    expect((await k.request('PATCH', `/api/staff/members/${ana}`, { body: { newPin: '135792' }, headers: asManager })).status).toBe(200);
    expect((await signIn(tablet, '246813')).body.error.code).toBe('invalid_pin');
    expect((await signIn(tablet, '135792')).body.staff.id).toBe(ana);
    // Disabled: signed out and her PIN no longer works; she stays in the list (named on her sales).
    const disabled = await k.request('DELETE', `/api/staff/members/${ana}`, { headers: asManager });
    expect(disabled.body).toMatchObject({ id: ana, disabled: true });
    expect((await session(tablet)).body.staff).toBeNull();
    expect((await signIn(tablet, '135792')).body.error.code).toBe('invalid_pin');
    const list = await k.request('GET', '/api/staff/members', { headers: asManager });
    expect(list.body.staff.map((s: { id: string; disabled: boolean }) => [s.id, s.disabled])).toEqual(
      expect.arrayContaining([
        [ana, true],
        ['env:manager', false],
      ]),
    );
    // Environment PINs are changed in the environment.
    const env = await k.request('PATCH', '/api/staff/members/env:cashier', { body: { role: 'manager' }, headers: asManager });
    expect([env.status, env.body.error.code]).toEqual([409, 'staff_from_environment']);
    const ops = (await listAudit(server.app.kiosk.db))
      .filter((a) => a.action === 'manage_staff')
      .map((a) => (a.detail as { op: string }).op);
    expect(ops).toEqual(['add', 'update', 'update', 'disable']);
  });
});

describe('terminal management', () => {
  it("lists the store's tablets with when each was last seen, not other stores'", async () => {
    const { tablet, terminalId } = await newTablet();
    const { terminalId: elsewhere } = await newTablet('demo-nz');
    const before = Date.now();
    await tablet.request('GET', '/api/terminal');
    const r = await k.request('GET', '/api/terminals', { headers: asManager });
    expect(r.status).toBe(200);
    const ids = r.body.terminals.map((t: { id: string }) => t.id);
    expect(ids).toContain(terminalId);
    expect(ids).toContain(server.terminalId);
    expect(ids).not.toContain(elsewhere);
    const row = r.body.terminals.find((t: { id: string }) => t.id === terminalId);
    expect(Date.parse(row.lastSeenAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(row.current).toBe(false);
    expect(r.body.terminals.find((t: { id: string }) => t.id === server.terminalId).current).toBe(true);
  });

  it('writes last seen at most once a minute per tablet', async () => {
    const { tablet, terminalId } = await newTablet();
    const seen = async () =>
      (await server.app.kiosk.db.selectFrom('terminals').select('last_seen_at').where('id', '=', terminalId).executeTakeFirstOrThrow())
        .last_seen_at;
    expect(await seen()).toBeNull();
    await tablet.request('GET', '/api/terminal');
    const first = await seen();
    expect(first).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    await tablet.request('GET', '/api/terminal');
    expect(await seen()).toBe(first);
  });

  it('renames a tablet', async () => {
    const { terminalId } = await newTablet();
    const r = await k.request('PATCH', `/api/terminals/${terminalId}`, { body: { name: 'Till 2 — by the door' }, headers: asManager });
    expect(r.body).toMatchObject({ id: terminalId, name: 'Till 2 — by the door' });
    expect((await k.request('PATCH', `/api/terminals/${terminalId}`, { body: { name: '' }, headers: asManager })).status).toBe(400);
    expect((await k.request('PATCH', '/api/terminals/term_nope', { body: { name: 'x' }, headers: asManager })).status).toBe(404);
  });

  it('revokes a tablet: its next call gets 401, its event stream ends, whoever was signed in there is out', async () => {
    const { tablet, terminalId } = await newTablet();
    await signIn(tablet, ROLE_PINS.cashier);
    const stream = await fetch(`${server.baseUrl}/api/events`, { headers: { authorization: `Bearer ${tablet.token}` } });
    expect(stream.status).toBe(200);
    const ended = stream.text();
    // A cashier may not revoke.
    const cashier = await k.request('POST', `/api/terminals/${terminalId}/revoke`, { headers: { 'x-staff-pin': ROLE_PINS.cashier } });
    expect([cashier.status, cashier.body.error.code]).toEqual([403, 'manager_required']);
    expect((await tablet.request('GET', '/api/terminal')).status).toBe(200);

    const r = await k.request('POST', `/api/terminals/${terminalId}/revoke`, { headers: asManager });
    expect(r.status).toBe(200);
    expect(r.body.revokedAt).not.toBeNull();
    await ended;
    const next = await tablet.request('GET', '/api/terminal');
    expect([next.status, next.body.error.code]).toEqual([401, 'unauthorized']);
    expect(
      await server.app.kiosk.db.selectFrom('staff_sessions').selectAll().where('terminal_id', '=', terminalId).executeTakeFirst(),
    ).toBeUndefined();
    const list = await k.request('GET', '/api/terminals', { headers: asManager });
    expect(list.body.terminals.find((t: { id: string }) => t.id === terminalId).revokedAt).not.toBeNull();
  });
});
