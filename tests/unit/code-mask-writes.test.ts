// The write paths into payment_events and webhook_events mask customer payment codes (issue 9): against a
// real in-memory store, a provider answer, a decline message, an attention detail and a notification body
// that echo the code — under the provider's declared key or in a field nobody declared — are stored with
// the masked form only (the payment's code_masked recognises the code; we never have it at these writes).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { EventBus } from '../../server/events/bus.ts';
import { lazyRegistry } from '../../server/payments/adapters.ts';
import { handleNotification } from '../../server/payments/notifications.ts';
import { maskCode } from '../../server/payments/reference.ts';
import { applyTransition, setAttention } from '../../server/payments/transition.ts';
import type { PaymentAdapter, ProviderVerdict } from '../../server/providers/types.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { insertPayment } from '../../server/store/payments.ts';
import type { ProviderName } from '../../src/shared/payment.ts';

let store: Store;
const run = randomUUID().slice(0, 8);
const T1 = `t1-${run}`;
let seq = 0;

beforeAll(async () => {
  store = await openMigratedStore(process.env.TEST_DATABASE_URL || 'sqlite::memory:');
  await store.db
    .insertInto('terminals')
    .values({
      id: T1,
      store_id: 'demo-us',
      name: 'T',
      token_hash: `h-${run}`,
      created_at: new Date().toISOString(),
      revoked_at: null,
    })
    .execute();
});
afterAll(async () => store?.close());

const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as FastifyBaseLogger;

/** A payment charged with `code`, as the service inserts it: only code_masked is kept. */
async function payment(provider: ProviderName, code: string, providerRef?: string): Promise<string> {
  const id = `p${++seq}-${run}`;
  await insertPayment(store.db, {
    id,
    terminalId: T1,
    orderId: `o${seq}-${run}`,
    idempotencyKey: `k${seq}`,
    requestHash: 'h',
    mode: 'cpm',
    provider,
    vendor: 'alipay',
    amount: { value: 1000, currency: 'USD' },
    reference: `ref-${seq}-${run}`,
    codeMasked: maskCode(code),
    now: new Date().toISOString(),
  });
  if (providerRef)
    await store.db.updateTable('payments').set({ provider_ref: providerRef, status: 'pending' }).where('id', '=', id).execute();
  return id;
}

/** Every stored row of the payment and of the notifications, as text. */
async function storedText(): Promise<string> {
  const tables = ['payments', 'payment_events', 'webhook_events'] as const;
  const rows = await Promise.all(tables.map((t) => store.db.selectFrom(t).selectAll().execute()));
  return JSON.stringify(rows);
}

const alipayCode = () => `28${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}0001`;

describe('event rows', () => {
  it("an answer echoing the code under the provider's key and in an undeclared field keeps it masked", async () => {
    const code = alipayCode();
    const id = await payment('pockyt', code);
    await applyTransition(store.db, null, {
      paymentId: id,
      to: 'failed',
      source: 'sync',
      raw: { ret_code: '000023', ret_msg: `payment code ${code} already used`, result: { paymentBarcode: code, echo: code } },
      failure: { code: 'declined', message: `The wallet refused ${code}.` },
    });
    const text = await storedText();
    expect(text).not.toContain(code);
    const events = await store.db.selectFrom('payment_events').select('payload').where('payment_id', '=', id).execute();
    expect(JSON.parse(events.at(-1)!.payload!)).toEqual({
      ret_code: '000023',
      ret_msg: `payment code ${maskCode(code)} already used`,
      result: { paymentBarcode: maskCode(code), echo: maskCode(code) },
    });
    const row = await store.db.selectFrom('payments').select('failure_message').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.failure_message).toBe(`The wallet refused ${maskCode(code)}.`);
  });

  it('a refused transition and an attention flag keep their payloads masked too', async () => {
    const code = alipayCode();
    const id = await payment('centrapay', code);
    await applyTransition(store.db, null, { paymentId: id, to: 'succeeded', source: 'poll', raw: { barcode: code } });
    // succeeded → pending is refused, and recorded with what was said.
    await applyTransition(store.db, null, { paymentId: id, to: 'pending', source: 'poll', raw: { status: 'new', barcode: code } });
    await setAttention(store.db, null, {
      paymentId: id,
      on: true,
      reason: 'provider_not_answering',
      source: 'reconciler',
      detail: { message: `no answer for ${code}` },
    });
    expect(await storedText()).not.toContain(code);
    const events = await store.db
      .selectFrom('payment_events')
      .select(['applied', 'payload'])
      .where('payment_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => Number(e.applied))).toEqual([1, 0, 1]);
    for (const e of events) expect(e.payload).toContain(maskCode(code));
  });
});

describe('notification bodies', () => {
  function adapter(name: ProviderName, verdict: ProviderVerdict): PaymentAdapter {
    return {
      name,
      currencies: ['USD'],
      cpmVendors: ['alipay'],
      confirmWindowMs: 1000,
      chargeCode: async () => verdict,
      query: async () => verdict,
      cancel: async () => verdict,
      refund: async () => ({ status: 'failed', raw: {} }),
    };
  }

  async function notify(provider: ProviderName, rawBody: string, providerRef: string, eventId = randomUUID()) {
    const bus = new EventBus();
    const deps = {
      db: store.db,
      bus,
      callUnderWay: () => false,
      watcher: { watch() {} },
      adapters: lazyRegistry({ [provider]: () => adapter(provider, { status: 'succeeded', providerRef, raw: {} }) }),
    };
    return handleNotification(deps, { provider, eventId, rawBody, providerRef }, silent);
  }

  it("a form-encoded IPN carrying the payment's code in any field is kept masked, other bytes as received", async () => {
    const code = alipayCode();
    const ref = `tx-${run}-1`;
    const id = await payment('pockyt', code, ref);
    const body = `transactionNo=${ref}&status=success&note=${code}&paymentBarcode=${code}&verifySign=abc`;
    const r = await notify('pockyt', body, ref);
    expect(r).toMatchObject({ ack: true, paymentId: id });
    const row = await store.db.selectFrom('webhook_events').select('raw_body').where('payment_id', '=', id).executeTakeFirstOrThrow();
    expect(row.raw_body).toBe(`transactionNo=${ref}&status=success&note=${maskCode(code)}&paymentBarcode=${maskCode(code)}&verifySign=abc`);
  });

  it('a JSON notification is kept with its declared code field masked even when the payment is unknown', async () => {
    const code = `OK${String(Math.floor(Math.random() * 1e14)).padStart(14, '0')}`;
    const body = JSON.stringify({
      notify_id: `n-${run}`,
      acquireOrder: { merchantOrderNo: 'nobody', orderNo: `nope-${run}`, paySceneParams: { authCode: code } },
    });
    const r = await notify('payby', body, `nope-${run}`);
    expect(r.outcome).toBe('unknown_payment');
    const stored = await store.db.selectFrom('webhook_events').select('raw_body').where('provider', '=', 'payby').execute();
    const mine = stored.find((s) => s.raw_body.includes(`nope-${run}`))!;
    expect(mine.raw_body).not.toContain(code);
    expect(JSON.parse(mine.raw_body).acquireOrder.paySceneParams.authCode).toBe(maskCode(code));
  });
});
