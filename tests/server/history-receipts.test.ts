// Receipt numbers (issue 11, item 9), the sale detail (item 2) and the e-receipt page (item 3): numbers are
// given once, on success, per store and business day, without gaps or repeats when many payments succeed
// at once (Postgres: concurrent transactions on a pool); the detail shows the sale's whole story; the
// public page shows one receipt and nothing else.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentDetail } from '../../src/shared/api.ts';
import { businessDay } from '../../src/shared/business-day.ts';
import { formatMoney } from '../../src/shared/money.ts';
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
let ids: { b: string; nz: string; ae: string };

beforeAll(async () => {
  server = await startServer(NO_IPN);
  a = new Kiosk(server.baseUrl, server.token);
  const pb = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode('demo-us')).code);
  const pn = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode('demo-nz')).code);
  const pa = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode('demo-ae')).code);
  b = new Kiosk(server.baseUrl, pb.token);
  nz = new Kiosk(server.baseUrl, pn.token);
  ids = { b: pb.terminalId, nz: pn.terminalId, ae: pa.terminalId };
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
    expect(res.headers.get('vary')).toMatch(/accept-language/i);
    const html = await res.text();
    expect(html).toContain('<html lang="en" dir="ltr">');
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
    expect(body).toContain('<html lang="en" dir="ltr">');
    expect(body).toContain('Receipt not found');
  });

  it("the 404 page speaks the phone's language too", async () => {
    const path = `/r/${randomBytes(32).toString('base64url')}`;
    const zh = await fetch(`${server.baseUrl}${path}`, { headers: { 'accept-language': 'zh-Hans-CN,zh;q=0.9' } });
    expect(zh.status).toBe(404);
    expect(zh.headers.get('vary')).toMatch(/accept-language/i);
    expect(zh.headers.get('cache-control')).toBe('no-store');
    const zhHtml = await zh.text();
    expect(zhHtml).toContain('<html lang="zh-CN" dir="ltr">');
    expect(zhHtml).toContain('<title>未找到收据</title>');
    expect(zhHtml).toContain('请检查链接或询问店员。');
    const ar = await (await fetch(`${server.baseUrl}/r/short`, { headers: { 'accept-language': 'ar-AE' } })).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain('لم يُعثر على الإيصال');
    expect(ar).not.toContain('Receipt not found');
  });
});

describe("e-receipt in the customer's language", () => {
  /** A US sale of two lines (one an open amount, one named with markup) with a 1.00 refund. */
  let usReceipt: string;
  let usCreatedAt: string;
  const page = async (path: string, acceptLanguage?: string) => {
    const res = await fetch(`${server.baseUrl}${path}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toMatch(/accept-language/i);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return res.text();
  };

  beforeAll(async () => {
    const orderId = `ord-${randomBytes(8).toString('hex')}`;
    const lines = [
      { sku: 'tea', name: 'Tea <b>&</b> "cake"', quantity: 2, unitPrice: { value: 450, currency: 'USD' } },
      { sku: null, name: 'Open amount', quantity: 1, unitPrice: { value: 300, currency: 'USD' } },
    ];
    const up = await a.request('POST', '/api/orders', {
      body: { id: orderId, lines, total: { value: 1200, currency: 'USD' }, createdAt: new Date().toISOString(), status: 'open' },
    });
    expect([200, 201]).toContain(up.status);
    const paid = await a.pay({ orderId, amount: { value: 1200, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    expect(paid.body.status).toBe('succeeded');
    const r = await refund(a, paid.body.id, 100, 'USD');
    await waitForRefund(a, paid.body.id, r.body.refund.id);
    usReceipt = paid.body.receipt!.path;
    usCreatedAt = paid.body.createdAt;
  });

  it('Accept-Language zh-CN: Chinese labels, lang="zh-CN", a Chinese date in the store\'s time zone, values escaped', async () => {
    const html = await page(usReceipt, 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(html).toContain('<html lang="zh-CN" dir="ltr">');
    for (const label of ['收据号', '支付方式', '交易号', '税号', '合计', '退款后实付', '自定金额']) expect(html).toContain(label);
    for (const english of ['Paid with', 'Total', 'Receipt', 'Tax no.', 'Open amount']) expect(html).not.toContain(english);
    const when = new Intl.DateTimeFormat('zh-CN', { timeZone: 'America/New_York', dateStyle: 'medium', timeStyle: 'short' });
    expect(html).toContain(when.format(new Date(usCreatedAt)));
    expect(html).toContain('<bdi>Demo Coffee (US)</bdi>');
    expect(html).toContain('2 × <bdi>Tea &lt;b&gt;&amp;&lt;/b&gt; &quot;cake&quot;</bdi>');
    expect(html).not.toContain('<b>');
  });

  it('Accept-Language weighted toward ar: Arabic, right to left, the CSS mirrored', async () => {
    const html = await page(usReceipt, 'en;q=0.4, ar;q=0.9');
    expect(html).toContain('<html lang="ar" dir="rtl">');
    for (const label of ['رقم الإيصال', 'طريقة الدفع', 'الإجمالي', 'المدفوع بعد الاسترداد', 'مبلغ مفتوح']) expect(html).toContain(label);
    expect(html).not.toContain('Paid with');
    // Money by the kiosk's rule: the language with the store's region (ar-US), the bare symbol in the US store.
    expect(html).toContain(formatMoney({ value: 1200, currency: 'USD' }, 'ar-US', 'en-US'));
    expect(html).not.toContain('$12.00');
    expect(html).toContain('<footer><bdi>Thank you! Demo store — no real money moved.</bdi></footer>');
    expect(html).toMatch(/td\.amt\{text-align:end;[^}]*padding-inline-start/);
    expect(html).not.toMatch(/text-align:(left|right)|padding-(left|right)/);
  });

  it('a language the kiosk does not speak (fr-FR) falls back to the store default: English in the US store', async () => {
    const html = await page(usReceipt, 'fr-FR,fr;q=0.9');
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('Paid with');
    expect(html).toContain('$12.00');
    // Traditional Chinese is not the kiosk's Simplified Chinese.
    expect(await page(usReceipt, 'zh-TW')).toContain('<html lang="en" dir="ltr">');
  });

  it("the Dubai store's default is Arabic: no header, or a language the kiosk lacks, gives Arabic; a voided sale says so", async () => {
    const sale = await seedPayment(server.app, { storeId: 'demo-ae', terminalId: ids.ae, value: 4500, currency: 'AED' });
    for (const header of [undefined, 'fr-FR']) {
      const html = await page(`/r/${sale.receiptToken}`, header);
      expect(html).toContain('<html lang="ar" dir="rtl">');
      expect(html).toContain(`<title>إيصال ${sale.receiptNo} — Demo Souk (Dubai)</title>`);
      expect(html).toContain('<dt>الرقم الضريبي</dt><dd><bdi>TRN 100123456700003</bdi></dd>');
      expect(html).toContain('<footer><bdi>Shukran! Demo shop — no real money moved.</bdi></footer>');
      expect(html).toContain(formatMoney({ value: 4500, currency: 'AED' }, 'ar-AE', 'en-AE'));
      expect(html).not.toMatch(/Receipt|Paid with|Total/);
    }
    expect(await page(`/r/${sale.receiptToken}`, 'en-GB')).toContain('<html lang="en" dir="ltr">');
    await applyTransition(server.app.kiosk.db, null, { paymentId: sale.id, to: 'reversed', source: 'cashier', raw: {} });
    expect(await page(`/r/${sale.receiptToken}`)).toContain('ملغاة — أُعيد المبلغ كاملًا');
  });
});
