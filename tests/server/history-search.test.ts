// GET /api/payments as the history search (issue 11, item 1): terminal and store scope (supervisor PIN),
// never another store's sales, every filter, `q` read as amount / code suffix / provider reference /
// receipt number, and keyset paging that neither repeats nor skips a sale, also when times tie.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryPayment, PaymentList } from '../../src/shared/api.ts';
import { pair, startServer, NO_IPN, type TestServer } from './helpers/app.ts';
import { seedPayment } from './helpers/history.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { DEMO_PIN } from './helpers/staff.ts';

let server: TestServer;
let a: Kiosk; // demo-us, this test's main terminal
let b: Kiosk; // demo-us, another till
let c: Kiosk; // demo-nz
const ids = { a: '', b: '', c: '' };
const seeded: Record<string, string> = {};

async function list(k: Kiosk, query: string, pin?: string) {
  return k.request<PaymentList & { error?: { code: string } }>('GET', `/api/payments?${query}`, {
    headers: pin ? { 'x-staff-pin': pin } : {},
  });
}
const idsOf = (ps: HistoryPayment[]) => ps.map((p) => p.id);

beforeAll(async () => {
  server = await startServer(NO_IPN);
  a = new Kiosk(server.baseUrl, server.token);
  ids.a = server.terminalId;
  const pairInto = async (store: string) => pair(server.baseUrl, (await server.app.kiosk.createPairingCode(store)).code);
  const pb = await pairInto('demo-us');
  const pc = await pairInto('demo-nz');
  b = new Kiosk(server.baseUrl, pb.token);
  c = new Kiosk(server.baseUrl, pc.token);
  ids.b = pb.terminalId;
  ids.c = pc.terminalId;
  const app = server.app;
  const us = { storeId: 'demo-us' };
  // 2026-03-01T04:30Z is still 28 February in New York (UTC-5).
  seeded.lateFeb = (
    await seedPayment(app, { ...us, terminalId: ids.a, value: 1234, createdAt: '2026-03-01T04:30:00.000Z', code: '286512340000004321' })
  ).id;
  seeded.march = (
    await seedPayment(app, {
      ...us,
      terminalId: ids.a,
      value: 500,
      createdAt: '2026-03-01T15:00:00.000Z',
      providerRef: 'PKT2026030112345678ABCDEF',
    })
  ).id;
  seeded.failed = (
    await seedPayment(app, { ...us, terminalId: ids.a, value: 777, createdAt: '2026-03-02T15:00:00.000Z', status: 'failed' })
  ).id;
  seeded.wechat = (
    await seedPayment(app, { ...us, terminalId: ids.a, value: 900, createdAt: '2026-03-03T15:00:00.000Z', vendor: 'wechatpay' })
  ).id;
  seeded.tillB = (await seedPayment(app, { ...us, terminalId: ids.b, value: 1234, createdAt: '2026-03-01T16:00:00.000Z' })).id;
  seeded.nz = (
    await seedPayment(app, {
      storeId: 'demo-nz',
      terminalId: ids.c,
      value: 1234,
      currency: 'NZD',
      createdAt: '2026-03-01T17:00:00.000Z',
      code: '9990001234504321',
      providerRef: 'CP-NZ-ONLY-4321',
    })
  ).id;
});
afterAll(async () => server?.close());

describe('scopes', () => {
  it("terminal scope: this terminal's sales only, newest first", async () => {
    const r = await list(a, '');
    expect(r.status).toBe(200);
    expect(idsOf(r.body.payments)).toEqual([seeded.wechat, seeded.failed, seeded.march, seeded.lateFeb]);
    expect(r.body.nextCursor).toBeNull();
    expect(r.body.payments[0]).toMatchObject({ terminalId: ids.a, amount: { value: 900, currency: 'USD' } });
    expect(idsOf((await list(b, '')).body.payments)).toEqual([seeded.tillB]);
  });

  it('store scope needs a supervisor PIN', async () => {
    expect((await list(a, 'scope=store')).body.error?.code).toBe('pin_required');
    const wrong = await list(a, 'scope=store', '9999');
    expect(wrong.status).toBe(403);
    expect(wrong.body.error?.code).toBe('invalid_pin');
    const r = await list(a, 'scope=store', DEMO_PIN);
    expect(r.status).toBe(200);
    expect(new Set(idsOf(r.body.payments))).toEqual(new Set([seeded.wechat, seeded.failed, seeded.march, seeded.lateFeb, seeded.tillB]));
  });

  it("never another store's sales, in either scope, whatever q asks for", async () => {
    for (const q of ['', 'q=12.34', 'q=4321', 'q=CP-NZ-ONLY-4321', 'q=ONLY-4321']) {
      for (const scope of ['', '&scope=store']) {
        const r = await list(a, `${q}${scope}`, DEMO_PIN);
        expect(r.status).toBe(200);
        expect(idsOf(r.body.payments)).not.toContain(seeded.nz);
      }
    }
    expect(idsOf((await list(c, 'scope=store', DEMO_PIN)).body.payments)).toEqual([seeded.nz]);
  });
});

describe('filters', () => {
  it("from/to as business days in the store's timezone, or as instants", async () => {
    expect(idsOf((await list(a, 'from=2026-02-28&to=2026-02-28')).body.payments)).toEqual([seeded.lateFeb]);
    expect(idsOf((await list(a, 'from=2026-03-01&to=2026-03-01')).body.payments)).toEqual([seeded.march]);
    expect(idsOf((await list(a, 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z')).body.payments)).toEqual([
      seeded.march,
      seeded.lateFeb,
    ]);
  });

  it('status, provider and vendor', async () => {
    expect(idsOf((await list(a, 'status=failed')).body.payments)).toEqual([seeded.failed]);
    expect(idsOf((await list(a, 'status=failed,succeeded&vendor=wechatpay')).body.payments)).toEqual([seeded.wechat]);
    expect((await list(a, 'provider=centrapay')).body.payments).toEqual([]);
    expect((await list(a, 'provider=pockyt')).body.payments).toHaveLength(4);
  });

  it("q: an amount, the code's last digits, a provider reference (whole or its printed end), a receipt number", async () => {
    expect(idsOf((await list(a, 'q=12.34')).body.payments)).toEqual([seeded.lateFeb]);
    expect(idsOf((await list(a, 'q=12.34&scope=store', DEMO_PIN)).body.payments)).toEqual([seeded.tillB, seeded.lateFeb]);
    expect(idsOf((await list(a, 'q=4321')).body.payments)).toEqual([seeded.lateFeb]);
    expect(idsOf((await list(a, 'q=321')).body.payments)).toEqual([seeded.lateFeb]);
    expect(idsOf((await list(a, 'q=PKT2026030112345678ABCDEF')).body.payments)).toEqual([seeded.march]);
    expect(idsOf((await list(a, `q=${encodeURIComponent('…345678ABCDEF')}`)).body.payments)).toEqual([seeded.march]);
    // Typed without the "…": no exact reading matches, so the end is searched too.
    expect(idsOf((await list(a, 'q=12345678ABCDEF')).body.payments)).toEqual([seeded.march]);
    const receipt = (await a.get(seeded.wechat)).body.receipt!.number;
    expect(idsOf((await list(a, `q=${receipt}`)).body.payments)).toEqual([seeded.wechat]);
    expect((await list(a, 'q=nothing-like-this')).body.payments).toEqual([]);
    expect((await list(a, `q=${encodeURIComponent('%')}`)).body.payments).toEqual([]);
  });

  it('refuses bad filters with a clear code', async () => {
    expect((await list(a, 'status=paid')).body.error?.code).toBe('invalid_status');
    expect((await list(a, 'scope=everyone')).body.error?.code).toBe('invalid_scope');
    expect((await list(a, 'from=yesterday')).body.error?.code).toBe('invalid_from');
    expect((await list(a, 'cursor=bm90LWpzb24')).body.error?.code).toBe('invalid_cursor');
    expect((await list(a, 'limit=0')).body.error?.code).toBe('invalid_limit');
  });
});

describe('cursor paging', () => {
  it('pages newest first without repeating or skipping a sale, also when times tie', async () => {
    const at = '2026-04-01T12:00:00.000Z';
    const tied: string[] = [];
    for (let i = 0; i < 7; i++)
      tied.push((await seedPayment(server.app, { storeId: 'demo-us', terminalId: ids.b, value: 100 + i, createdAt: at })).id);
    const expected = [...tied].sort().reverse();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await list(b, `from=2026-04-01&to=2026-04-01&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.payments.length).toBeLessThanOrEqual(3);
      seen.push(...idsOf(r.body.payments));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
  });

  it('pages a q search the same way', async () => {
    const first = await list(a, 'q=12.34&scope=store&limit=1', DEMO_PIN);
    expect(idsOf(first.body.payments)).toEqual([seeded.tillB]);
    const second = await list(a, `q=12.34&scope=store&limit=1&cursor=${first.body.nextCursor}`, DEMO_PIN);
    expect(idsOf(second.body.payments)).toEqual([seeded.lateFeb]);
    expect(second.body.nextCursor).toBeNull();
  });
});
