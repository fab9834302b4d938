// Staff sign-in at the till: own PIN → a session bound to the tablet, sign-out, idle sign-out, sign-in
// attempts throttled and audited, and every sale, refund and void recording who did it.
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../server/store/audit.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { paidSale, ROLE_ENV, ROLE_PINS, session, signIn, signOut } from './helpers/staff-session.ts';
import { refund, voidPayment } from './helpers/staff.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
async function start(env: Record<string, string> = {}): Promise<{ server: TestServer; k: Kiosk }> {
  const server = await startServer({ ...NO_IPN, ...ROLE_ENV, ...env });
  servers.push(server);
  return { server, k: new Kiosk(server.baseUrl, server.token) };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sign-in and sign-out', () => {
  it('signs a cashier in with their own PIN, shows who is signed in, and signs out', async () => {
    const { server, k } = await start();
    expect((await session(k)).body).toMatchObject({ staff: null, signInRequired: false });
    const r = await signIn(k, ROLE_PINS.cashier);
    expect(r.status).toBe(200);
    expect(r.body.staff).toEqual({ id: 'env:cashier', name: 'Cashier (CASHIER_PIN)', role: 'cashier' });
    expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.now());
    expect((await session(k)).body.staff.role).toBe('cashier');
    // Another tablet of the store has nobody signed in: the session belongs to the tablet.
    const { token } = await (await import('./helpers/app.ts')).pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code);
    expect((await session(new Kiosk(server.baseUrl, token))).body.staff).toBeNull();
    expect((await signOut(k)).body.staff).toBeNull();
    expect((await session(k)).body.staff).toBeNull();
    const audit = await listAudit(server.app.kiosk.db, { terminalId: server.terminalId });
    expect(audit.map((a) => [a.action, a.outcome, a.staff?.id])).toEqual([
      ['pin_accepted', 'accepted', 'env:cashier'],
      ['sign_in', 'succeeded', 'env:cashier'],
      ['sign_out', 'requested', 'env:cashier'],
    ]);
  });

  it('refuses a wrong PIN, counts it against the PIN limits and audits it; signing in again replaces the session', async () => {
    const { server, k } = await start({ STAFF_PIN_MAX_ATTEMPTS: '2', STAFF_PIN_LOCKOUT_MS: '600000' });
    const wrong = await signIn(k, '20000001');
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_pin', details: { attemptsLeft: 1 } });
    expect((await signIn(k, ROLE_PINS.supervisor)).body.staff.role).toBe('supervisor');
    expect((await signIn(k, ROLE_PINS.manager)).body.staff.role).toBe('manager');
    expect((await session(k)).body.staff.id).toBe('env:manager');
    // Two wrong in a row lock the tablet: the right PIN is refused too until the lockout ends.
    await signIn(k, '20000002');
    const second = await signIn(k, '20000003');
    expect([second.status, second.body.error.code]).toEqual([403, 'invalid_pin']);
    expect(second.body.error.details.retryAfterSeconds).toBeGreaterThan(500);
    const locked = await signIn(k, ROLE_PINS.cashier);
    expect([locked.status, locked.body.error.code]).toEqual([429, 'pin_locked']);
    expect((await session(k)).body.staff.id).toBe('env:manager');
    const audit = await listAudit(server.app.kiosk.db, { terminalId: server.terminalId });
    const attempts = audit.filter((a) => a.action.startsWith('pin_')).map((a) => [a.action, (a.detail as { for: string }).for]);
    expect(attempts).toEqual([
      ['pin_rejected', 'sign_in'],
      ['pin_accepted', 'sign_in'],
      ['pin_accepted', 'sign_in'],
      ['pin_rejected', 'sign_in'],
      ['pin_rejected', 'sign_in'],
      ['pin_locked', 'sign_in'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(ROLE_PINS.manager);
  });

  it('refuses a malformed body with 400 and signs nobody in', async () => {
    const { k } = await start();
    for (const body of [{}, { pin: '' }, { pin: 1234 }, { pin: '1234', extra: 1 }]) {
      const r = await k.request('POST', '/api/staff/sign-in', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await session(k)).body.staff).toBeNull();
  });
});

describe('idle sign-out', () => {
  it('signs staff out after STAFF_IDLE_MS without an action; actions keep the session, background reads do not', async () => {
    // Each check is 1.2 s from the idle deadline on either side: a loaded machine's round trips cannot cross it.
    const { server, k } = await start({ STAFF_IDLE_MS: '3000' });
    await signIn(k, ROLE_PINS.cashier);
    await sleep(1800);
    // An action (the kiosk's activity ping) restarts the idle clock…
    expect((await k.request('POST', '/api/staff/activity')).body.staff.id).toBe('env:cashier');
    await sleep(1800);
    // …so 3.6 s after sign-in the cashier is still signed in, while GETs (polling) do not count as actions.
    expect((await session(k)).body.staff?.id).toBe('env:cashier');
    await k.request('GET', '/api/terminal');
    await sleep(1800);
    expect((await session(k)).body.staff).toBeNull();
    // An action after expiry does not bring the session back.
    expect((await k.request('POST', '/api/staff/activity')).body.staff).toBeNull();
    const audit = await listAudit(server.app.kiosk.db, { terminalId: server.terminalId });
    expect(audit.filter((a) => a.action === 'sign_out').map((a) => a.outcome)).toEqual(['idle']);
    const sale = await paidSale(k);
    const row = await server.app.kiosk.db
      .selectFrom('payments')
      .select('staff_id')
      .where('id', '=', sale.body.id)
      .executeTakeFirstOrThrow();
    expect(row.staff_id).toBeNull();
  });
});

describe('who did it', () => {
  it('records the signed-in staff member on each sale, refund and void', async () => {
    const { server, k } = await start();
    const db = server.app.kiosk.db;
    const staffOf = async (id: string) =>
      (await db.selectFrom('payments').select('staff_id').where('id', '=', id).executeTakeFirstOrThrow()).staff_id;

    const anonymous = await paidSale(k);
    expect(await staffOf(anonymous.body.id)).toBeNull();
    await signIn(k, ROLE_PINS.cashier);
    const bySam = await paidSale(k, 5000);
    expect(bySam.body.status).toBe('succeeded');
    expect(await staffOf(bySam.body.id)).toBe('env:cashier');
    // The sale's detail (history) says who took it, by the name they had when they sold.
    const detail = await k.request('GET', `/api/payments/${bySam.body.id}/detail?scope=terminal`);
    const anonymousDetail = await k.request('GET', `/api/payments/${anonymous.body.id}/detail?scope=terminal`);
    expect([detail.body.takenBy?.id, typeof detail.body.takenBy?.name, anonymousDetail.body.takenBy]).toEqual([
      'env:cashier',
      'string',
      null,
    ]);
    expect(detail.body.takenBy.name).not.toBe('env:cashier');

    // A cashier may not refund on their own session: a supervisor's PIN overrides at the cashier's till.
    const refused = await refund(k, bySam.body.id, 1000, 'USD', { pin: null });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'pin_required']);
    const override = await refund(k, bySam.body.id, 1000, 'USD', { pin: ROLE_PINS.supervisor });
    expect(override.status).toBe(201);
    // A supervisor signed in refunds and voids without typing a PIN again.
    await signIn(k, ROLE_PINS.supervisor);
    const bySession = await refund(k, bySam.body.id, 500, 'USD', { pin: null });
    expect(bySession.status).toBe(201);
    const refunds = await db.selectFrom('refunds').select(['id', 'staff_id']).where('payment_id', '=', bySam.body.id).execute();
    expect(Object.fromEntries(refunds.map((r) => [r.id, r.staff_id]))).toEqual({
      [override.body.refund.id]: 'env:supervisor',
      [bySession.body.refund.id]: 'env:supervisor',
    });
    const toVoid = await paidSale(k);
    expect(await staffOf(toVoid.body.id)).toBe('env:supervisor');
    expect((await voidPayment(k, toVoid.body.id, null)).status).toBeLessThan(300);
    const voidAudit = (await listAudit(db, { paymentId: toVoid.body.id })).filter((a) => a.action === 'void');
    expect(voidAudit.length).toBeGreaterThan(0);
    expect(voidAudit.every((a) => a.staff?.id === 'env:supervisor')).toBe(true);
  });

  it('with STAFF_SIGN_IN=required refuses a sale when nobody is signed in, and changes nothing', async () => {
    const { server, k } = await start({ STAFF_SIGN_IN: 'required' });
    expect((await session(k)).body.signInRequired).toBe(true);
    const refused = await paidSale(k);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'staff_sign_in_required']);
    expect(await server.countPayments()).toBe(0);
    await signIn(k, ROLE_PINS.cashier);
    expect((await paidSale(k)).status).toBe(201);
    await signOut(k);
    expect((await paidSale(k)).status).toBe(403);
    expect(await server.countPayments()).toBe(1);
  });
});
