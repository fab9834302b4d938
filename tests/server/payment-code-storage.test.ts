// A customer's wallet payment code is a bearer credential until used (issue 9, item 6): nothing we keep may
// hold it in full — not the provider payloads in payment_events, not the notification bodies in
// webhook_events, not refunds or the audit log — only its masked form (first 4, stars, last 4), as
// payments.code_masked has it. Each provider is charged through the real API against its real simulator
// (which echoes the code where the provider does: Centrapay's `barcode` in every payment request, PayBy's
// `authCode` in every acquireOrder, notifications included), refunded, and its notification processed;
// then every table is searched as text.
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { maskCode } from '../../server/payments/reference.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { listWebhookEvents } from '../../server/store/webhook-events.ts';
import { pair, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { CENTRAPAY_FAST, PAYBY_FAST } from './helpers/providers.ts';
import { refund, waitForRefund } from './helpers/staff.ts';

let server: TestServer;
const kiosks: Record<string, Kiosk> = {};

beforeAll(async () => {
  // Notifications on (the simulators deliver the first at once); polls slowed so the webhook path is taken.
  server = await startServer({ ...CENTRAPAY_FAST, ...PAYBY_FAST, POLL_INITIAL_MS: '200', POLL_MAX_MS: '400' });
  kiosks['demo-us'] = new Kiosk(server.baseUrl, server.token);
  for (const store of ['demo-nz', 'demo-ae']) {
    const { token } = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode(store)).code);
    kiosks[store] = new Kiosk(server.baseUrl, token);
  }
});
afterAll(async () => server?.close());

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** Every row of every table that can hold what a provider said, as one text per table. */
async function tableTexts(): Promise<Record<string, string>> {
  // orders has its own row type (server/orders); every table is read the same way here.
  const db = server.app.kiosk.db as unknown as Kysely<any>;
  const tables = ['payments', 'payment_events', 'webhook_events', 'refunds', 'audit_log', 'orders'] as const;
  const out: Record<string, string> = {};
  for (const t of tables) out[t] = JSON.stringify(await db.selectFrom(t).selectAll().execute());
  return out;
}

async function notificationFor(provider: string, paymentId: string): Promise<void> {
  const until = Date.now() + 8000;
  while (Date.now() < until) {
    const rows = await listWebhookEvents(server.app.kiosk.db, provider);
    if (rows.some((r) => r.paymentId === paymentId && r.outcome !== 'processing')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no processed ${provider} notification for ${paymentId}`);
}

const CASES = [
  // Alipay-shaped: the last four digits pick "paid at once".
  { provider: 'pockyt', store: 'demo-us', currency: 'USD', code: () => alipayTestCode('0001') },
  // Centrapay patron code, Quick Pay (charged at our first poll); a fresh body per run.
  { provider: 'centrapay', store: 'demo-nz', currency: 'NZD', code: () => testPatronCode('0001', `999000${digits(5)}`) },
  // PayBy authCode: prefix OK → PAID_SUCCESS in the placeOrder answer.
  { provider: 'payby', store: 'demo-ae', currency: 'AED', code: () => `OK${digits(14)}` },
] as const;

describe('payment codes are stored masked, never in full', () => {
  for (const c of CASES) {
    it(`${c.provider}: charge, notification and refund keep only the masked code`, async () => {
      const k = kiosks[c.store];
      const code = c.code();
      const masked = maskCode(code);
      const r = await k.pay({ orderId: order(), amount: { value: 2000, currency: c.currency }, mode: 'cpm', code });
      expect(r.status).toBe(201);
      expect(r.body.provider).toBe(c.provider);
      await k.waitFor(r.body.id, (p) => p.status === 'succeeded', 6000);
      await notificationFor(c.provider, r.body.id);
      const back = await refund(k, r.body.id, 500, c.currency);
      expect(back.status).toBe(201);
      await waitForRefund(k, r.body.id, back.body.refund.id);

      const texts = await tableTexts();
      for (const [table, text] of Object.entries(texts)) {
        expect(text.includes(code), `${table} holds the full code`).toBe(false);
      }
      expect(texts.payments).toContain(masked);
      // Where the provider echoes the code, the echo is kept — masked.
      const payloads = JSON.stringify((await listPaymentEvents(server.app.kiosk.db, r.body.id)).map((e) => e.payload));
      if (c.provider === 'centrapay') expect(payloads).toContain(`"barcode":"${masked}"`);
      if (c.provider === 'payby') {
        expect(payloads).toContain(`"authCode":"${masked}"`);
        const hooks = await listWebhookEvents(server.app.kiosk.db, 'payby');
        const body = hooks.find((h) => h.paymentId === r.body.id)!.rawBody;
        expect(JSON.parse(body).acquireOrder.paySceneParams.authCode).toBe(masked);
      }
    });
  }
});
