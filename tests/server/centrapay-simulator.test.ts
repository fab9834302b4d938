// The Centrapay simulator's protocol, raw over HTTP: a bare Fastify with the plugin on 127.0.0.1:0,
// requests made by hand (no adapter), checked against the spec's paths, fields, statuses and error bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawCentrapayCall } from '../../sandbox/centrapay/client.ts';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS, startCentrapaySimulator, type RunningSimulator } from '../../sandbox/centrapay/standalone.ts';

const { apiKey, configId } = DEMO_CREDENTIALS;
let sim: RunningSimulator;
let seq = 0;

beforeAll(async () => {
  sim = await startCentrapaySimulator({ pendingMs: 100, secondMs: 100 });
});
afterAll(() => sim.close());

/** key null: no X-Api-Key header. */
const api = (method: 'GET' | 'POST', path: string, body?: unknown, key: string | null = apiKey) =>
  rawCentrapayCall(sim.baseUrl, method, path, { apiKey: key ?? undefined, body });
const create = (extra: Record<string, unknown> = {}) =>
  api('POST', '/api/payment-requests', { configId, value: { amount: '1250', currency: 'NZD' }, externalRef: `T-${++seq}`, ...extra });
const get = (id: string) => api('GET', `/api/payment-requests/${id}`);
const control = (method: 'GET' | 'POST', path: string, body?: unknown) =>
  rawCentrapayCall(sim.baseUrl, method, `/control${path}`, { body });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('authentication and error bodies', () => {
  it('needs X-Api-Key; a wrong key is 401 too; errors have the §8 shape', async () => {
    const none = await api('GET', '/api/payment-requests/x', undefined, null);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Missing authentication' });
    const wrong = await api('GET', '/api/payment-requests/x', undefined, 'not-the-key');
    expect(wrong.status).toBe(401);
    const unknown = await get('NoSuchRequest');
    expect(unknown.status).toBe(403);
    expect(unknown.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Forbidden' });
    const route = await api('GET', '/api/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const junk = await rawCentrapayCall(sim.baseUrl, 'POST', '/api/payment-requests', { apiKey, rawBody: '{"configId":' });
    expect(junk.status).toBe(400);
    expect(junk.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });
});

describe('create (POST /api/payment-requests)', () => {
  it('MPM: a new request with the §4 fields; url is the pay page; expiresAt = createdAt + expirySeconds', async () => {
    const r = await create({ expirySeconds: 85, terminalId: 'till-1', deviceId: 'till-1' });
    expect(r.status).toBe(200);
    const pr = r.body;
    expect(pr).toMatchObject({
      configId,
      value: { amount: '1250', currency: 'NZD' },
      status: 'new',
      liveness: 'test',
      expirySeconds: 85,
      merchantConditions: [],
      paymentOptions: [{ amount: '1250', assetType: 'centrapay.nzd.test' }],
      terminalId: 'till-1',
      externalRef: `T-${seq}`,
      merchantName: 'Demo Café',
    });
    expect(pr.id).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(pr.shortCode).toMatch(/^CP-[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    expect(pr.url).toBe(`${sim.baseUrl}/pay/${pr.id}`);
    expect(pr).not.toHaveProperty('barcode');
    // secondMs = 100: 85 "seconds" are 8.5 s of real time, and expiresAt says so.
    expect(Date.parse(pr.expiresAt) - Date.parse(pr.createdAt)).toBe(8500);
    const short = await api('GET', `/api/payment-requests/short-code/${pr.shortCode}`);
    expect(short.body.id).toBe(pr.id);
    expect((await api('GET', '/api/payment-requests/short-code/nonsense')).body.message).toBe('CHECKSUM_FAILED');
  });

  it('refuses bad input with the documented codes and changes nothing', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ value: { amount: '12.50', currency: 'NZD' } }, 400, 'Bad Request'],
      [{ value: { amount: 1250, currency: 'NZD' } }, 400, 'Bad Request'],
      [{ value: { amount: '0', currency: 'NZD' } }, 400, 'Bad Request'],
      [{ value: { amount: '100000000', currency: 'NZD' } }, 400, 'Bad Request'],
      [{ value: { amount: '1250', currency: 'AED' } }, 403, 'NO_AVAILABLE_PAYMENT_OPTIONS'],
      [{ configId: 'mc_someone_else' }, 403, 'Forbidden'],
      [{ configId: undefined }, 400, 'Bad Request'],
      [{ expirySeconds: -1 }, 400, 'Bad Request'],
      [{ lineItems: [{ name: 'Flat white', qty: '1', price: '500' }] }, 400, 'LINE_ITEMS_SUM_CHECK_FAILED'],
      [{ barcode: '9990001234567895' }, 400, 'CHECKSUM_FAILED'],
      [{ barcode: '1111111111111116' }, 403, 'PATRON_CODE_INVALID'],
      [{ barcode: testPatronCode('0004') }, 403, 'PATRON_CODE_INVALID'],
      [{ barcode: testPatronCode('0006') }, 403, 'NO_AVAILABLE_PAYMENT_OPTIONS'],
    ];
    const ref = `BAD-${++seq}`;
    for (const [extra, status, message] of cases) {
      const r = await create({ externalRef: ref, ...extra });
      expect([r.status, r.body.message], JSON.stringify(extra)).toEqual([status, message]);
      expect(r.body.statusCode).toBe(status);
    }
    const listed = await api('GET', `/api/payment-requests/external-ref/${ref}`);
    expect(listed.body.items).toEqual([]);
    const ok = await create({
      lineItems: [
        { name: 'Flat white', qty: '1', price: '550' },
        { name: 'Muffin', qty: '1', price: '700' },
      ],
    });
    expect(ok.status).toBe(200);
  });
});

describe('statuses and quirks', () => {
  it('Quick Pay: charged by the first poll, not before', async () => {
    const { body: pr } = await create({ barcode: testPatronCode('0001') });
    expect(pr).toMatchObject({ status: 'new', barcode: testPatronCode('0001'), paymentOptions: [{ assetType: 'farmlands.nzd.test' }] });
    await sleep(150);
    expect((await control('GET', `/requests/${pr.id}`)).body).toMatchObject({ status: 'new', polls: 0 });
    const polled = await get(pr.id);
    expect(polled.body).toMatchObject({
      status: 'paid',
      paidBy: { assetTotals: [{ type: 'farmlands.nzd.test', total: { amount: '1250', currency: 'NZD' } }] },
    });
  });

  it('other assets wait for the patron: 0002 approves, 0003 declines (DECLINED_BY_PATRON)', async () => {
    // Read from the create answers: a GET after them would race the patron's 100 ms on a busy machine.
    const yes = (await create({ barcode: testPatronCode('0002') })).body;
    const no = (await create({ barcode: testPatronCode('0003') })).body;
    expect([yes.status, no.status]).toEqual(['new', 'new']);
    await expect.poll(async () => (await get(yes.id)).body.status).toBe('paid');
    await expect.poll(async () => (await get(no.id)).body).toMatchObject({ status: 'cancelled', cancellationReason: 'DECLINED_BY_PATRON' });
  });

  it('expires at expiresAt; void then says REQUEST_EXPIRED', async () => {
    const { body: pr } = await create({ expirySeconds: 2 });
    expect(pr.status).toBe('new');
    await sleep(260);
    expect((await get(pr.id)).body.status).toBe('expired');
    const v = await api('POST', `/api/payment-requests/${pr.id}/void`);
    expect([v.status, v.body.message]).toEqual([403, 'REQUEST_EXPIRED']);
    const acts = (await api('GET', `/api/payment-requests/${pr.id}/activities`)).body.items.map((a: { type: string }) => a.type);
    expect(acts).toEqual(['expiry', 'request']);
  });

  it('photo-ID condition: awaiting-merchant with conditionsEnabled (accept → paid); without it the poll cancels', async () => {
    const withCond = (await create({ barcode: testPatronCode('0005'), conditionsEnabled: true })).body;
    expect(withCond.merchantConditions).toEqual([
      { id: '1', name: 'photo-id-check', message: 'Please check photo ID', status: 'awaiting-merchant' },
    ]);
    const acc = await api('POST', `/api/payment-requests/${withCond.id}/conditions/1/accept`);
    expect(acc.body).toMatchObject({ type: 'accept-condition', conditionId: '1' });
    expect((await api('POST', `/api/payment-requests/${withCond.id}/conditions/1/accept`)).body.message).toBe('CONDITION_ALREADY_SET');
    expect((await get(withCond.id)).body.status).toBe('paid');

    const declined = (await create({ barcode: testPatronCode('0005'), conditionsEnabled: true })).body;
    await api('POST', `/api/payment-requests/${declined.id}/conditions/1/decline`);
    expect((await get(declined.id)).body).toMatchObject({ status: 'cancelled', cancellationReason: 'DECLINED_BY_MERCHANT' });

    const without = (await create({ barcode: testPatronCode('0005') })).body;
    expect(without.merchantConditions).toEqual([]);
    expect((await get(without.id)).body).toMatchObject({ status: 'cancelled', cancellationReason: 'PAYMENT_DECLINED' });
  });
});

describe('void, refund, pay', () => {
  it('void: unpaid → cancellation (CANCELLED_BY_MERCHANT); again → REQUEST_CANCELLED', async () => {
    const { body: pr } = await create();
    const v = await api('POST', `/api/payment-requests/${pr.id}/void`);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({
      type: 'cancellation',
      cancellationReason: 'CANCELLED_BY_MERCHANT',
      paymentRequestId: pr.id,
      value: { amount: '1250', currency: 'NZD' },
    });
    expect((await get(pr.id)).body).toMatchObject({ status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' });
    expect((await api('POST', `/api/payment-requests/${pr.id}/void`)).body.message).toBe('REQUEST_CANCELLED');
  });

  it('void of a paid request refunds the rest (status stays paid); then ALREADY_REFUNDED', async () => {
    const { body: pr } = await create({ barcode: testPatronCode('0001') });
    await get(pr.id);
    const part = await api('POST', `/api/payment-requests/${pr.id}/refund`, {
      value: { amount: '250', currency: 'NZD' },
      externalRef: 'r1',
    });
    expect(part.body).toMatchObject({ type: 'refund', value: { amount: '250' }, externalRef: 'r1' });
    const v = await api('POST', `/api/payment-requests/${pr.id}/void`);
    expect(v.body).toMatchObject({ type: 'refund', value: { amount: '1000', currency: 'NZD' } });
    expect((await get(pr.id)).body.status).toBe('paid');
    expect((await api('POST', `/api/payment-requests/${pr.id}/void`)).body.message).toBe('ALREADY_REFUNDED');
  });

  it('refund: replay by externalRef, REPEAT_REFERENCE, INVALID_AMOUNT, NOT_PAID', async () => {
    const { body: pr } = await create({ barcode: testPatronCode('0001') });
    const refund = (amount: string, externalRef: string) =>
      api('POST', `/api/payment-requests/${pr.id}/refund`, { value: { amount, currency: 'NZD' }, externalRef });
    expect((await refund('100', 'a')).body.message).toBe('NOT_PAID');
    await get(pr.id);
    const first = await refund('100', 'a');
    expect(first.status).toBe(200);
    expect((await refund('100', 'a')).body).toEqual(first.body);
    expect((await refund('200', 'a')).body.message).toBe('REPEAT_REFERENCE');
    expect((await refund('1151', 'b')).body.message).toBe('INVALID_AMOUNT');
    expect((await refund('1150', 'b')).status).toBe(200);
    expect((await refund('1', 'c')).body.message).toBe('ALREADY_REFUNDED');
    const acts = (await api('GET', `/api/payment-requests/${pr.id}/activities`)).body.items;
    expect(acts.map((a: { type: string }) => a.type)).toEqual(['refund', 'refund', 'paid', 'payment', 'request']);
    expect(acts[0]).toMatchObject({ merchantAccountId: DEMO_ACCOUNT_ID, activityNumber: '5', shortCode: `${pr.shortCode}-005` });
  });

  it('pay (external asset): idempotent by idempotencyKey, refused once closed', async () => {
    const { body: pr } = await create();
    const pay = (idempotencyKey: string, assetType = 'centrapay.nzd.test') =>
      api('POST', `/api/payment-requests/${pr.id}/pay`, { assetType, idempotencyKey, transactionId: 'ext-1' });
    expect((await pay('k1', 'bitcoin.main')).body.message).toBe('INVALID_ASSET_TYPE');
    const first = await pay('k1');
    expect(first.body).toMatchObject({ type: 'payment', value: { amount: '1250' } });
    expect((await pay('k1')).body).toEqual(first.body);
    expect((await pay('k2')).body.message).toBe('REQUEST_PAID');
  });
});

describe('lookups', () => {
  it('external-ref lists every request with that ref (create is not idempotent), newest first, paginated', async () => {
    const ref = `DUP-${++seq}`;
    const a = (await create({ externalRef: ref })).body;
    const b = (await create({ externalRef: ref })).body;
    const c = (await create({ externalRef: ref })).body;
    const all = await api('GET', `/api/payment-requests/external-ref/${ref}?merchantAccountId=${DEMO_ACCOUNT_ID}`);
    expect(all.body.items.map((x: { id: string }) => x.id)).toEqual([c.id, b.id, a.id]);
    const p1 = await api('GET', `/api/payment-requests/external-ref/${ref}?paginationLimit=2`);
    expect(p1.body.items).toHaveLength(2);
    const p2 = await api(
      'GET',
      `/api/payment-requests/external-ref/${ref}?paginationLimit=2&pageKey=${encodeURIComponent(p1.body.pageKey)}`,
    );
    expect(p2.body.items.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect(p2.body.pageKey).toBeUndefined();
    expect((await api('GET', `/api/payment-requests/external-ref/${ref}?merchantAccountId=other`)).status).toBe(403);
  });

  it('decode and patron-code lookup', async () => {
    const decode = (code: string, merchantConfigId: string = configId) =>
      api('POST', '/api/decode', { code, scannedBy: 'merchant', merchantConfigId });
    expect((await decode(testPatronCode('7777'))).body).toEqual({
      code: testPatronCode('7777'),
      scannedBy: 'merchant',
      merchantConfigId: configId,
      provider: 'centrapay',
      displayName: 'Centrapay',
    });
    expect((await decode('286521182446650001')).body.message).toBe('UNKNOWN_CODE');
    expect((await decode(testPatronCode('7777'), 'mc_other')).body.message).toBe('MERCHANT_CONFIG_NOT_FOUND');
    const pc = await api('GET', `/api/patron-codes/barcode/${testPatronCode('0005')}`);
    expect(pc.body).toMatchObject({ barcode: testPatronCode('0005'), testScenarioName: 'force-condition-check-photo-id' });
    expect((await api('GET', '/api/patron-codes/barcode/9990001234567895')).body.message).toBe('CHECKSUM_FAILED');
  });
});
