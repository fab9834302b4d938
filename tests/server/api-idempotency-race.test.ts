// Concurrent POST /api/payments with one Idempotency-Key (issue 9 item 3; README: "same key + same body
// returns the same payment"). Requests that race each other into the create transaction must still be told
// about the first payment, never `409 order_has_open_payment`; a different body under the key stays a
// conflict, and a different key on an order with an open payment stays refused.
import type { CreatePaymentRequest } from '../../src/shared/api.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalRow } from '../../server/store/terminals.ts';
import { ApiError } from '../../server/payments/api-error.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';

let server: TestServer;
let kiosk: Kiosk;
let terminal: TerminalRow;

beforeAll(async () => {
  server = await startServer(NO_IPN);
  kiosk = new Kiosk(server.baseUrl, server.token);
  terminal = await server.app.kiosk.db.selectFrom('terminals').selectAll().where('id', '=', server.terminalId).executeTakeFirstOrThrow();
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });

/** The service's own answer or its ApiError, so settled results can be compared. */
async function attempt(key: string, body: CreatePaymentRequest): Promise<{ id?: string; replayed?: boolean; error?: string }> {
  try {
    const r = await server.app.kiosk.service.create(terminal, key, body);
    return { id: r.payment.id, replayed: r.replayed };
  } catch (err) {
    if (err instanceof ApiError) return { error: err.code };
    throw err;
  }
}

describe('one Idempotency-Key, requests at the same time', () => {
  // Started in the same tick, both look the key up before either has written its row: the second meets the
  // first's open payment inside its transaction, and must recognise it as its own.
  it('same key and body, both past the first look-up: the same payment, once', async () => {
    const key = randomUUID();
    const body = { orderId: order(), amount: usd(510), mode: 'cpm' as const, code: alipayTestCode('0001') };
    const [a, b] = await Promise.all([attempt(key, body), attempt(key, body)]);
    expect(a.error ?? b.error).toBeUndefined();
    expect(a.id).toBe(b.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
  });

  it('same key, another body: one payment, the other is an idempotency conflict', async () => {
    const key = randomUUID();
    const o = order();
    const [a, b] = await Promise.all([
      attempt(key, { orderId: o, amount: usd(520), mode: 'cpm' as const, code: alipayTestCode('0001') }),
      attempt(key, { orderId: o, amount: usd(521), mode: 'cpm' as const, code: alipayTestCode('0001') }),
    ]);
    expect([a.error, b.error].filter(Boolean)).toEqual(['idempotency_conflict']);
    expect([a.id, b.id].filter(Boolean)).toHaveLength(1);
  });

  it('another key for an order with a payment in progress is still refused', async () => {
    const o = order();
    const [a, b] = await Promise.all([
      attempt(randomUUID(), { orderId: o, amount: usd(530), mode: 'cpm' as const, code: await kiosk.walletCode() }),
      attempt(randomUUID(), { orderId: o, amount: usd(530), mode: 'cpm' as const, code: await kiosk.walletCode() }),
    ]);
    expect([a.error, b.error].filter(Boolean)).toEqual(['order_has_open_payment']);
    await kiosk.cancel((a.id ?? b.id)!);
  });

  it('over HTTP: 20 identical requests, every one answered with the one payment, one charge at Pockyt', async () => {
    for (let round = 0; round < 3; round++) {
      const key = randomUUID();
      const body = { orderId: order(), amount: usd(540 + round), mode: 'cpm' as const, code: alipayTestCode('0001') };
      const adds = server.simCalls.filter((c) => c.includes('/add')).length;
      const replies = await Promise.all(Array.from({ length: 20 }, () => kiosk.pay(body, key)));
      expect(replies.map((r) => r.body.error?.code ?? r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
      expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
      expect(server.simCalls.filter((c) => c.includes('/add')).length - adds).toBe(1);
    }
  });
});
