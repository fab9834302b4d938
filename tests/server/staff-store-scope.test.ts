// Refunds and voids from the store-scope history (issue 11, item 3): a supervisor at any till of the store may
// refund or void a sale another till took — never a sale of another store, never with less than a
// supervisor's say-so, and a refund's Idempotency-Key stays the payment's, whichever till sends it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentDetail } from '../../src/shared/api.ts';
import { listAudit } from '../../server/store/audit.ts';
import { pair, startServer, NO_IPN, type TestServer } from './helpers/app.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { paidSale, ROLE_ENV, ROLE_PINS, signIn, signOut } from './helpers/staff-session.ts';
import { refund, voidPayment } from './helpers/staff.ts';

let server: TestServer;
let a: Kiosk; // demo-us: takes the sales
let b: Kiosk; // demo-us: another till of the same store
let nz: Kiosk; // demo-nz
let tillB = '';

beforeAll(async () => {
  server = await startServer({ ...NO_IPN, ...ROLE_ENV });
  a = new Kiosk(server.baseUrl, server.token);
  const pairInto = async (store: string) => pair(server.baseUrl, (await server.app.kiosk.createPairingCode(store)).code);
  const pb = await pairInto('demo-us');
  tillB = pb.terminalId;
  b = new Kiosk(server.baseUrl, pb.token);
  nz = new Kiosk(server.baseUrl, (await pairInto('demo-nz')).token);
});
afterAll(async () => server?.close());

async function saleAtA(value = 3000): Promise<string> {
  const r = await paidSale(a, value);
  expect(r.body.status).toBe('succeeded');
  return r.body.id;
}

const pinAttempts = async (paymentId: string) =>
  (await listAudit(server.app.kiosk.db, { paymentId })).filter((e) => e.action === 'pin_accepted' || e.action === 'pin_rejected');

describe('refund from another till of the store', () => {
  it("a supervisor's PIN at till B refunds till A's sale; the refund is recorded at B, by that supervisor", async () => {
    const id = await saleAtA(3000);
    const r = await refund(b, id, 1000, 'USD');
    expect(r.status).toBe(201);
    expect(r.body.refund).toMatchObject({ paymentId: id, status: 'succeeded', amount: { value: 1000, currency: 'USD' } });
    expect(r.body.payment).toMatchObject({ id, status: 'partially_refunded' });
    const row = await server.app.kiosk.db
      .selectFrom('refunds')
      .select(['terminal_id', 'staff_id'])
      .where('payment_id', '=', id)
      .executeTakeFirst();
    expect(row?.terminal_id).toBe(tillB);
    const audit = (await listAudit(server.app.kiosk.db, { paymentId: id })).filter((e) => e.action === 'refund');
    expect(audit.map((e) => [e.terminalId, e.staff?.role])).toEqual([
      [tillB, 'supervisor'],
      [tillB, 'supervisor'],
    ]);
  });

  it('the Idempotency-Key is the payment’s: the same key from either till is the same refund', async () => {
    const id = await saleAtA(2000);
    const key = randomUUID();
    const first = await refund(b, id, 500, 'USD', { key });
    expect(first.status).toBe(201);
    const fromA = await refund(a, id, 500, 'USD', { key });
    expect(fromA.status).toBe(200);
    expect(fromA.body.refund.id).toBe(first.body.refund.id);
    const fromBAgain = await refund(b, id, 500, 'USD', { key });
    expect(fromBAgain.body.refund.id).toBe(first.body.refund.id);
    expect((await a.get(id)).body.refundedAmount).toEqual({ value: 500, currency: 'USD' });
  });

  it("a cashier's PIN at till B is refused, and so is no PIN with nobody signed in", async () => {
    const id = await saleAtA(1500);
    const cashier = await refund(b, id, 100, 'USD', { pin: ROLE_PINS.cashier });
    expect(cashier.status).toBe(403);
    expect(cashier.body.error.code).toBe('supervisor_required');
    const none = await refund(b, id, 100, 'USD', { pin: null });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('pin_required');
    expect((await a.get(id)).body.status).toBe('succeeded');
  });

  it('a supervisor signed in at till B needs no PIN', async () => {
    const id = await saleAtA(1200);
    expect((await signIn(b, ROLE_PINS.supervisor)).status).toBe(200);
    try {
      const r = await refund(b, id, 200, 'USD', { pin: null });
      expect(r.status).toBe(201);
    } finally {
      await signOut(b);
    }
  });

  it("another store's sale is not found, before any PIN is looked at", async () => {
    const id = await saleAtA(1000);
    const r = await refund(nz, id, 100, 'USD');
    expect(r.status).toBe(404);
    const v = await voidPayment(nz, id);
    expect(v.status).toBe(404);
    expect(await pinAttempts(id)).toEqual([]);
    expect((await a.get(id)).body.status).toBe('succeeded');
  });
});

describe('void from another till of the store', () => {
  it("a supervisor's PIN at till B voids till A's paid sale", async () => {
    const id = await saleAtA(2500);
    const v = await voidPayment(b, id);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ id, status: 'reversed' });
    const audit = (await listAudit(server.app.kiosk.db, { paymentId: id })).filter((e) => e.action === 'void');
    expect(audit.every((e) => e.terminalId === tillB)).toBe(true);
  });

  it('an open payment at till A is cancelled only there: 409 from till B, nothing sent', async () => {
    // A real open payment (a wallet-issued code stays pending at the simulator): a seeded row has no provider
    // counterpart, and the reconciler rightly fails it when it looks — on a slow machine, before the check here.
    const open = await a.pay({
      orderId: `ord-${randomUUID()}`,
      amount: { value: 700, currency: 'USD' },
      mode: 'cpm',
      code: await a.walletCode(),
    });
    expect(open.body.status).toBe('pending');
    const v = await voidPayment(b, open.body.id);
    expect(v.status).toBe(409);
    expect(v.body.error.code).toBe('payment_open');
    expect((await a.sim('GET', `/control/transactions/${open.body.providerRef}`)).body.status).toBe('pending');
    expect((await a.get(open.body.id)).body.status).toBe('pending');
    expect((await a.cancel(open.body.id)).body.status).toBe('cancelled');
  });

  it("a cashier's PIN at till B cannot void", async () => {
    const id = await saleAtA(2500);
    const v = await voidPayment(b, id, ROLE_PINS.cashier);
    expect(v.status).toBe(403);
    expect((await a.get(id)).body.status).toBe('succeeded');
  });
});

describe("the sale detail's actions", () => {
  it("another till's sale offers refund and void in store scope; the own till's sale everything", async () => {
    const id = await saleAtA(1800);
    const other = await b.request<PaymentDetail>('GET', `/api/payments/${id}/detail?scope=store`, {
      headers: { 'x-staff-pin': ROLE_PINS.supervisor },
    });
    expect(other.status).toBe(200);
    expect(other.body.actions).toEqual(['void', 'refund']);
    const own = await a.request<PaymentDetail>('GET', `/api/payments/${id}/detail`);
    expect(own.body.actions).toEqual(['recheck', 'void', 'refund', 'acknowledge']);
  });
});
