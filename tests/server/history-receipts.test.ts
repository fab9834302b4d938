// Receipt numbers (issue 11, item 9), the sale detail (item 2) and the e-receipt page (item 3): numbers are
// given once, on success, per store and business day, without gaps or repeats when many payments succeed
// at once (Postgres: concurrent transactions on a pool); the detail shows the sale's whole story; the
// public page shows one receipt and nothing else.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentDetail } from '../../src/shared/api.ts';
import { businessDay } from '../../src/shared/business-day.ts';
import { applyTransition } from '../../server/payments/transition.ts';
import { getPayment } from '../../server/store/payments.ts';
import { pair, startServer, NO_IPN, type TestServer } from './helpers/app.ts';
import { seedPayment } from './helpers/history.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { DEMO_PIN, refund, waitForRefund } from './helpers/staff.ts';

let server: TestServer;
let a: Kiosk;
let b: Kiosk;
let nz: Kiosk;
let ids: { b: string; nz: string };

beforeAll(async () => {
  server = await startServer(NO_IPN);
  a = new Kiosk(server.baseUrl, server.token);
  const pb = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode('demo-us')).code);
  const pn = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode('demo-nz')).code);
  b = new Kiosk(server.baseUrl, pb.token);
  nz = new Kiosk(server.baseUrl, pn.token);
  ids = { b: pb.terminalId, nz: pn.terminalId };
});
afterAll(async () => server?.close());

describe('receipt numbers', () => {
  it("a real sale gets YYYYMMDD-NNNN of the store's business day when it succeeds", async () => {
    const paid = await a.pay({ orderId: order(), amount: { value: 1250, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    expect(paid.body.status).toBe('succeeded');
    const day = businessDay(new Date(paid.body.createdAt), 'America/New_York').replaceAll('-', '');
    expect(paid.body.receipt?.number).toMatch(new RegExp(`^${day}-\\d{4}$`));
    expect(paid.body.receipt?.path).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);
  });

  it('a declined attempt takes no number', async () => {
    const failed = await seedPayment(server.app, {
      storeId: 'demo-us',
      terminalId: ids.b,
      value: 10,
      status: 'failed',
      businessDay: '2031-01-01',
    });
    expect(failed.receiptNo).toBeNull();
    expect(failed.receiptToken).toBeNull();
  });

  it('40 payments succeeding at once get 0001…0040, each once; another store counts on its own', async () => {
    const db = server.app.kiosk.db;
    const day = '2030-06-15';
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        seedPayment(server.app, {
          storeId: 'demo-us',
          terminalId: i % 2 ? ids.b : server.terminalId,
          value: 100 + i,
          status: 'created',
          businessDay: day,
        }),
      ),
    );
    const other = await seedPayment(server.app, {
      storeId: 'demo-nz',
      terminalId: ids.nz,
      value: 5,
      currency: 'NZD',
      status: 'created',
      businessDay: day,
    });
    await Promise.all(
      [...created, other].map((p) => applyTransition(db, null, { paymentId: p.id, to: 'succeeded', source: 'poll', raw: {} })),
    );
    const numbers = await Promise.all(created.map(async (p) => (await getPayment(db, p.id))!.receiptNo));
    const expected = Array.from({ length: 40 }, (_, i) => `20300615-${String(i + 1).padStart(4, '0')}`);
    expect([...numbers].sort()).toEqual(expected);
    expect((await getPayment(db, other.id))!.receiptNo).toBe('20300615-0001');
    // A later success (here a refund's status change) never renumbers it.
    const first = created[0];
    const before = (await getPayment(db, first.id))!.receiptNo;
    await applyTransition(db, null, { paymentId: first.id, to: 'refunded', source: 'cashier', raw: {}, refundedValue: first.amount.value });
    expect((await getPayment(db, first.id))!.receiptNo).toBe(before);
  });
});

describe('sale detail', () => {
  it('lines, refunds, what is left, and a timeline of every event and staff action', async () => {
    const orderId = `ord-${randomBytes(8).toString('hex')}`;
    const lines = [{ sku: 'latte', name: 'Caffè Latte', quantity: 2, unitPrice: { value: 475, currency: 'USD' } }];
    const up = await a.request('POST', '/api/orders', {
      body: { id: orderId, lines, total: { value: 950, currency: 'USD' }, createdAt: new Date().toISOString(), status: 'open' },
    });
    expect([200, 201]).toContain(up.status);
    const paid = await a.pay({ orderId, amount: { value: 950, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    expect(paid.body.status).toBe('succeeded');
    const r = await refund(a, paid.body.id, 300, 'USD');
    expect(r.status).toBe(201);
    await waitForRefund(a, paid.body.id, r.body.refund.id);

    const d = await a.request<PaymentDetail>('GET', `/api/payments/${paid.body.id}/detail`);
    expect(d.status).toBe(200);
    expect(d.body.lines).toEqual([{ sku: 'latte', name: 'Caffè Latte', quantity: 2, unitPrice: { value: 475, currency: 'USD' } }]);
    expect(d.body.refundable).toEqual({ value: 650, currency: 'USD' });
    expect(d.body.refunds).toHaveLength(1);
    expect(d.body.store).toMatchObject({ name: 'Demo Coffee (US)', taxId: 'EIN 12-3456789' });
    const kinds = d.body.timeline.map((t) => `${t.kind}:${t.source}:${t.to}`);
    expect(kinds).toContain('status:create:created');
    expect(kinds).toContain('status:sync:succeeded');
    expect(kinds).toContain('refund:refund:succeeded');
    expect(kinds.some((k) => k.startsWith('staff:refund:'))).toBe(true);
    expect(d.body.timeline.find((t) => t.kind === 'staff')?.staff).toBe('Supervisor (SUPERVISOR_PIN)');
    const times = d.body.timeline.map((t) => t.at);
    expect(times).toEqual([...times].sort());
  });

  it("another terminal's sale: 404 in terminal scope, shown in store scope with a PIN; another store's never", async () => {
    const sale = await seedPayment(server.app, { storeId: 'demo-us', terminalId: ids.b, value: 42 });
    expect((await a.request('GET', `/api/payments/${sale.id}/detail`)).status).toBe(404);
    expect((await a.request('GET', `/api/payments/${sale.id}/detail?scope=store`)).status).toBe(403);
    const ok = await a.request('GET', `/api/payments/${sale.id}/detail?scope=store`, { headers: { 'x-staff-pin': DEMO_PIN } });
    expect(ok.status).toBe(200);
    const nzSale = await seedPayment(server.app, { storeId: 'demo-nz', terminalId: ids.nz, value: 42, currency: 'NZD' });
    expect((await a.request('GET', `/api/payments/${nzSale.id}/detail?scope=store`, { headers: { 'x-staff-pin': DEMO_PIN } })).status).toBe(
      404,
    );
    expect((await nz.request('GET', `/api/payments/${nzSale.id}/detail`)).status).toBe(200);
  });
});

describe('e-receipt page', () => {
  it("shows that one receipt, with the store's details and refunds, and nothing else", async () => {
    const paid = await a.pay({ orderId: order(), amount: { value: 1999, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    const r = await refund(a, paid.body.id, 499, 'USD');
    await waitForRefund(a, paid.body.id, r.body.refund.id);
    const res = await fetch(`${server.baseUrl}${paid.body.receipt!.path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    for (const shown of [
      'Demo Coffee (US)',
      '100 Main Street',
      'EIN 12-3456789',
      paid.body.receipt!.number,
      '$19.99',
      '$4.99',
      '$15.00',
      'Alipay',
    ])
      expect(html).toContain(shown);
    for (const hidden of [paid.body.id, paid.body.orderId, server.terminalId, b.token, server.token]) expect(html).not.toContain(hidden);
    expect(html).not.toMatch(/<script|<a /i);
  });

  it('404 for a wrong, malformed or unpaid token, the same page each time', async () => {
    const wrong = await fetch(`${server.baseUrl}/r/${randomBytes(32).toString('base64url')}`);
    const malformed = await fetch(`${server.baseUrl}/r/short`);
    expect(wrong.status).toBe(404);
    expect(malformed.status).toBe(404);
    const body = await wrong.text();
    expect(body).toBe(await malformed.text());
    expect(body).not.toContain('Demo');
  });
});
