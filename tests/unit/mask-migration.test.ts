// Migration *_mask_payment_codes (issue 9): a store written by an earlier version — rows inserted directly at
// the migration before it, with customer payment codes in full in event payloads, notification bodies (JSON
// and form-encoded) and a decline message — keeps only masked codes once migrated, across more rows than
// one batch; rows without a code are left byte for byte. On SQLite, and also on Postgres when
// TEST_DATABASE_URL is set.
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { maskCode } from '../../server/payments/reference.ts';
import { openStore, type Store } from '../../server/store/db.ts';
import { maskStoredPaymentCodes } from '../../server/store/mask-stored-codes.ts';
import { migrateTo, migrateToLatest, migrationNames } from '../../server/store/migrations/index.ts';
import { freshPostgres } from '../server/helpers/app.ts';

const stores: Store[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  for (const d of drops) await d();
});

const PATRON = '9990001234500017';
const AUTH = 'OK0000000123456789';
const ALIPAY = '286521182446652715';
const now = '2026-01-01T00:00:00.000Z';

async function oldStore(url: string): Promise<Store> {
  const store = openStore(url);
  stores.push(store);
  const names = migrationNames(store.dialect);
  const mine = names.findIndex((n) => n.endsWith('_mask_payment_codes'));
  expect(mine).toBeGreaterThan(0);
  await migrateTo(store.db, store.dialect, names[mine - 1]);
  return store;
}

async function seed(db: Kysely<any>) {
  await db
    .insertInto('terminals')
    .values({ id: 't1', store_id: 'demo-us', name: 'T', token_hash: 'h', created_at: now, revoked_at: null })
    .execute();
  const payment = (id: string, provider: string, code: string | null, failure: string | null = null) => ({
    id,
    terminal_id: 't1',
    order_id: `o-${id}`,
    idempotency_key: `k-${id}`,
    request_hash: 'h',
    status: failure ? 'failed' : 'succeeded',
    mode: code ? 'cpm' : 'mpm',
    provider,
    vendor: null,
    amount_value: 1000,
    currency: 'USD',
    refunded_value: 0,
    reference: `ref-${id}`,
    provider_ref: `pr-${id}`,
    code_masked: code ? maskCode(code) : null,
    qr_payload: null,
    qr_expires_at: null,
    qr_short_code: null,
    failure_code: failure ? 'declined' : null,
    failure_message: failure,
    needs_attention: 0,
    attention_reason: null,
    attention_at: null,
    late: 0,
    next_check_at: null,
    created_at: now,
    updated_at: now,
  });
  await db
    .insertInto('payments')
    .values([
      payment('cp', 'centrapay', PATRON),
      payment('pb', 'payby', AUTH),
      payment('pk', 'pockyt', ALIPAY, `Wallet says: code ${ALIPAY} already used`),
      payment('qr', 'pockyt', null),
    ])
    .execute();
  const event = (paymentId: string, payload: unknown) => ({
    payment_id: paymentId,
    terminal_id: 't1',
    from_status: 'created',
    to_status: 'pending',
    source: 'sync',
    applied: 1,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    created_at: now,
  });
  // More rows than one batch (500), the ones with codes at both ends and in between.
  const filler = Array.from({ length: 1100 }, (_, i) => event('qr', { status: 'new', i, url: 'https://pay.example/x' }));
  await db
    .insertInto('payment_events')
    .values(event('cp', { id: 'pr-cp', barcode: PATRON, status: 'new' }))
    .execute();
  for (let i = 0; i < filler.length; i += 200)
    await db
      .insertInto('payment_events')
      .values(filler.slice(i, i + 200))
      .execute();
  await db
    .insertInto('payment_events')
    .values([
      event('pb', { body: { acquireOrder: { paySceneParams: { authCode: AUTH } } } }),
      // Echoed in a field no provider declares: recognised by the payment's code_masked.
      event('pk', { error: { code: 'pockyt_000023', message: `Pockyt prepay: 000023 code ${ALIPAY} used` }, raw: null }),
      event('cp', `{"raw":"{\\"barcode\\":\\"${PATRON}\\"}"}`),
    ])
    .execute();
  const hook = (id: string, provider: string, paymentId: string | null, raw: string) => ({
    provider,
    event_id: id,
    payment_id: paymentId,
    raw_body: raw,
    verified: 1,
    outcome: 'applied',
    duplicates: 0,
    received_at: now,
    updated_at: now,
  });
  await db
    .insertInto('webhook_events')
    .values([
      hook('n1', 'payby', 'pb', `{"notify_id":"n1",\n "acquireOrder":{"paySceneParams":{"authCode":"${AUTH}"},"status":"PAID_SUCCESS"}}`),
      // Never processed, so it names no payment: the declared field alone.
      hook('n2', 'payby', null, `{"notify_id":"n2","acquireOrder":{"paySceneParams":{"authCode":"${AUTH}"}}}`),
      hook('n3', 'pockyt', 'pk', `transactionNo=pr-pk&status=success&note=${ALIPAY}&verifySign=abc`),
      hook('n4', 'centrapay', null, '{"id":"ntf_1","type":"payment-request:paid","data":{"paymentRequestId":"pr-qr"}}'),
    ])
    .execute();
}

async function allText(db: Kysely<any>): Promise<string> {
  const out = [];
  for (const t of ['payments', 'payment_events', 'webhook_events', 'audit_log'])
    out.push(await db.selectFrom(t).selectAll().orderBy('id').execute());
  return JSON.stringify(out);
}

const targets: { name: string; url: () => Promise<string> }[] = [{ name: 'SQLite', url: async () => 'sqlite::memory:' }];
const pgAdmin = process.env.TEST_DATABASE_URL;
if (pgAdmin) {
  targets.push({
    name: 'Postgres',
    url: async () => {
      const fresh = await freshPostgres(pgAdmin);
      drops.push(() => fresh.drop());
      return fresh.url;
    },
  });
}

describe.each(targets)('masking what is already stored ($name)', ({ url }) => {
  it('masks codes in event payloads, notification bodies and decline messages; leaves the rest as it was', async () => {
    const store = await oldStore(await url());
    const db = store.db as unknown as Kysely<any>;
    await seed(db);
    const before = await allText(db);
    for (const code of [PATRON, AUTH, ALIPAY]) expect(before).toContain(code);
    const untouchedBefore = await db
      .selectFrom('payment_events')
      .select(['id', 'payload'])
      .where('payment_id', '=', 'qr')
      .orderBy('id')
      .execute();
    const n4Before = await db.selectFrom('webhook_events').select('raw_body').where('event_id', '=', 'n4').executeTakeFirstOrThrow();

    await migrateToLatest(db, store.dialect);

    const after = await allText(db);
    for (const code of [PATRON, AUTH, ALIPAY]) {
      expect(after).not.toContain(code);
      expect(after).toContain(maskCode(code));
    }
    const hooks = await db.selectFrom('webhook_events').select(['event_id', 'raw_body']).orderBy('id').execute();
    const body = (id: string) => hooks.find((h) => h.event_id === id)!.raw_body as string;
    expect(body('n1')).toBe(
      `{"notify_id":"n1",\n "acquireOrder":{"paySceneParams":{"authCode":"${maskCode(AUTH)}"},"status":"PAID_SUCCESS"}}`,
    );
    expect(JSON.parse(body('n2')).acquireOrder.paySceneParams.authCode).toBe(maskCode(AUTH));
    expect(body('n3')).toBe(`transactionNo=pr-pk&status=success&note=${maskCode(ALIPAY)}&verifySign=abc`);
    expect(body('n4')).toBe(n4Before.raw_body);
    const failed = await db.selectFrom('payments').select('failure_message').where('id', '=', 'pk').executeTakeFirstOrThrow();
    expect(failed.failure_message).toBe(`Wallet says: code ${maskCode(ALIPAY)} already used`);
    expect(await db.selectFrom('payment_events').select(['id', 'payload']).where('payment_id', '=', 'qr').orderBy('id').execute()).toEqual(
      untouchedBefore,
    );

    // Idempotent: a second run (a start after one cut short) changes nothing more.
    await maskStoredPaymentCodes(db);
    expect(await allText(db)).toBe(after);
  });
});
