// Refund and void from the sale detail on a staff session (issue 11): the role is read from the session the
// proxy keeps, never from the kiosk. A cashier's session moves no money without a supervisor's PIN; a
// supervisor's or manager's session does, with no PIN attempt made or counted, on this till's sale and on
// another till's of the same store.
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../server/store/audit.ts';
import { NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { paidSale, ROLE_ENV, ROLE_PINS, signIn } from './helpers/staff-session.ts';
import { refund, voidPayment } from './helpers/staff.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
async function start(): Promise<{ server: TestServer; k: Kiosk }> {
  const server = await startServer({ ...NO_IPN, ...ROLE_ENV });
  servers.push(server);
  return { server, k: new Kiosk(server.baseUrl, server.token) };
}

async function state(server: TestServer, paymentId: string) {
  const db = server.app.kiosk.db;
  const p = await db.selectFrom('payments').select(['status', 'refunded_value']).where('id', '=', paymentId).executeTakeFirstOrThrow();
  const refunds = await db.selectFrom('refunds').select('id').where('payment_id', '=', paymentId).execute();
  const throttled = await db.selectFrom('pin_throttle').select(['scope', 'failures']).where('failures', '>', 0).execute();
  return { status: p.status, refunded: Number(p.refunded_value), refunds: refunds.length, throttled };
}

describe('refund and void on a staff session', () => {
  it("refuses a cashier's session without a supervisor PIN, changes nothing and counts no PIN attempt", async () => {
    const { server, k } = await start();
    await signIn(k, ROLE_PINS.cashier);
    const sale = await paidSale(k, 3000);
    expect(sale.body.status).toBe('succeeded');

    const r = await refund(k, sale.body.id, 500, 'USD', { pin: null });
    expect([r.status, r.body.error.code]).toEqual([403, 'pin_required']);
    const v = await voidPayment(k, sale.body.id, null);
    expect([v.status, v.body.error.code]).toEqual([403, 'pin_required']);
    expect(await state(server, sale.body.id)).toEqual({ status: 'succeeded', refunded: 0, refunds: 0, throttled: [] });

    // The cashier's own PIN sent along is a failed attempt (a cashier may not refund), counted as one.
    const own = await refund(k, sale.body.id, 500, 'USD', { pin: ROLE_PINS.cashier });
    expect([own.status, own.body.error.code]).toEqual([403, 'supervisor_required']);
    expect((await state(server, sale.body.id)).throttled.length).toBeGreaterThan(0);
    expect((await state(server, sale.body.id)).refunds).toBe(0);

    // A supervisor's PIN at the cashier's till overrides, and is recorded as the supervisor's act.
    const override = await voidPayment(k, sale.body.id, ROLE_PINS.supervisor);
    expect(override.status).toBeLessThan(300);
    const voids = (await listAudit(server.app.kiosk.db, { paymentId: sale.body.id })).filter((a) => a.action === 'void');
    expect(voids.map((a) => a.staff?.id)).toContain('env:supervisor');
    expect(voids.map((a) => a.staff?.id)).not.toContain('env:cashier');
  });

  it("a supervisor's session refunds and voids with no PIN, and no PIN check is made", async () => {
    const { server, k } = await start();
    await signIn(k, ROLE_PINS.supervisor);
    const before = (await listAudit(server.app.kiosk.db, { terminalId: server.terminalId })).filter((a) => a.action.startsWith('pin_'));
    const sale = await paidSale(k, 3000);
    const r = await refund(k, sale.body.id, 700, 'USD', { pin: null });
    expect(r.status).toBe(201);
    const toVoid = await paidSale(k, 1200);
    expect((await voidPayment(k, toVoid.body.id, null)).status).toBeLessThan(300);

    const after = (await listAudit(server.app.kiosk.db, { terminalId: server.terminalId })).filter((a) => a.action.startsWith('pin_'));
    expect(after).toEqual(before);
    const refundRow = await server.app.kiosk.db
      .selectFrom('refunds')
      .select('staff_id')
      .where('id', '=', r.body.refund.id)
      .executeTakeFirstOrThrow();
    expect(refundRow.staff_id).toBe('env:supervisor');
  });

  it("a manager's session at one till refunds another till's sale of the store; a cashier's session there may not", async () => {
    const { server, k } = await start();
    const other = new Kiosk(server.baseUrl, (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code)).token);
    const sale = await paidSale(other, 2500);
    expect(sale.body.status).toBe('succeeded');

    await signIn(k, ROLE_PINS.cashier);
    const refused = await refund(k, sale.body.id, 500, 'USD', { pin: null });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'pin_required']);
    await signIn(k, ROLE_PINS.manager);
    const r = await refund(k, sale.body.id, 500, 'USD', { pin: null });
    expect(r.status).toBe(201);
    expect((await state(server, sale.body.id)).refunds).toBe(1);
  });

  it('a session that has ended is no say-so any more', async () => {
    const { server, k } = await start();
    await signIn(k, ROLE_PINS.supervisor);
    const sale = await paidSale(k, 2000);
    await k.request('POST', '/api/staff/sign-out', { body: {} });
    const r = await voidPayment(k, sale.body.id, null);
    expect([r.status, r.body.error.code]).toEqual([403, 'pin_required']);
    expect((await state(server, sale.body.id)).status).toBe('succeeded');
  });
});
