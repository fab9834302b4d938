// Every Centrapay simulator answer against the docs' own examples, field by field: the request payloads are
// the docs' (github.com/centrapay/centrapay-docs @ c43f3cf, src/content/api/_endpoints/payment-requests-*.js,
// rendered at docs.centrapay.com/api/payment-requests), and each answer must carry every field name that
// example shows, with the same JSON type. Left out on purpose (sandbox/centrapay/README.md): the experimental
// connectionId/connectionStatus/paymentLinkId, and partialAllowed/basketAmount (no partial payments).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawCentrapayCall } from '../../sandbox/centrapay/client.ts';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS, startCentrapaySimulator, type RunningSimulator } from '../../sandbox/centrapay/standalone.ts';

const { apiKey, configId } = DEMO_CREDENTIALS;
let sim: RunningSimulator;
let seq = 0;

beforeAll(async () => {
  sim = await startCentrapaySimulator({ pendingMs: 100, secondMs: 1000 });
});
afterAll(() => sim.close());

const api = (method: 'GET' | 'POST', path: string, body?: unknown, key: string | undefined = apiKey) =>
  rawCentrapayCall(sim.baseUrl, method, path, { apiKey: key, body });

type Json = Record<string, unknown>;
const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
/** The docs' example fields (name → JSON type) that `actual` lacks or types differently. */
function gaps(actual: Json, example: Record<string, string>): string[] {
  return Object.entries(example)
    .filter(([k, t]) => kind(actual[k]) !== t)
    .map(([k, t]) => `${k}: docs ${t}, simulator ${kind(actual[k])}`);
}

const S = 'string';
const O = 'object';
const A = 'array';
const N = 'number';
// Payment Activity fields every activity example shows (list, void, refund, pay).
const ACTIVITY = {
  type: S,
  value: O,
  assetType: S,
  paymentRequestId: S,
  shortCode: S,
  merchantName: S,
  merchantId: S,
  merchantAccountId: S,
  merchantConfigId: S,
  createdAt: S,
  createdBy: S,
  paymentRequestCreatedBy: S,
  activityNumber: S,
};
const LINE_ITEMS = [
  { name: 'Hard Hat', sku: 'GH1234', qty: '1', price: '4000', tax: '15', discount: '400' },
  { name: 'Tool Belt', sku: 'GH1234', qty: '1', price: '6000', tax: '15', discount: '600' },
];
/** The docs' create payload (payment-requests-create.js), without the experimental connection/link ids. */
const createBody = (extra: Json = {}) => ({
  configId,
  expirySeconds: '120',
  value: { amount: '10000', currency: 'NZD' },
  lineItems: LINE_ITEMS,
  externalRef: `DOCS-${++seq}`,
  ...extra,
});
async function paidRequest(extra: Json = {}): Promise<Json> {
  const pr = (await api('POST', '/api/payment-requests', createBody(extra))).body as Json;
  const paid = await api('POST', `/api/payment-requests/${pr.id as string}/pay`, {
    idempotencyKey: `k-${pr.id as string}`,
    assetType: 'centrapay.nzd.test',
    assetId: 'WRhAxxWpTKb5U7pXyxQjjY',
    externalPaymentRef: '62e4b0d7-551b-4b93-8b62-28265b4457d1',
  });
  expect(paid.status).toBe(200);
  return paid.body as Json;
}

describe('payment request model (create, get, short-code, external-ref, summary)', () => {
  it('create answers every field of the docs example: remainingAmount, lineItems echoed, taxNumber, createdBy…', async () => {
    const r = await api('POST', '/api/payment-requests', createBody());
    expect(r.status).toBe(200);
    const example = {
      id: S, shortCode: S, url: S, merchantId: S, merchantName: S, configId: S, value: O, paymentOptions: A, status: S,
      createdAt: S, updatedAt: S, expiresAt: S, liveness: S, expirySeconds: N, merchantConditions: A,
      createdByAccountId: S, createdByAccountName: S, taxNumber: O, remainingAmount: S, lineItems: A,
    }; // prettier-ignore
    expect(gaps(r.body, example)).toEqual([]);
    expect(r.body).toMatchObject({
      remainingAmount: '10000',
      lineItems: LINE_ITEMS,
      createdByAccountId: DEMO_ACCOUNT_ID,
      expirySeconds: 120,
    });
    expect(r.body.taxNumber).toEqual({ value: expect.any(String), type: 'nz-gst' });
  });

  it('get of a paid patron-code request: paidBy with payerAccountId, refs, barcode, remainingAmount 0', async () => {
    const barcode = testPatronCode('0001'); // Quick Pay: charged on the first poll
    const created = await api('POST', '/api/payment-requests', {
      ...createBody({ barcode, purchaseOrderRef: 'oF6kj1QlH5gK0y9rjRHFh2', invoiceRef: 'sy8CRmo3sp3ArOpnfmb423' }),
      conditionsEnabled: true,
    });
    const r = await api('GET', `/api/payment-requests/${created.body.id}`);
    const example = {
      id: S, shortCode: S, url: S, patronCodeId: S, barcode: S, merchantId: S, merchantName: S, configId: S,
      purchaseOrderRef: S, invoiceRef: S, value: O, paymentOptions: A, lineItems: A, merchantConditions: A, paidBy: O,
      status: S, createdAt: S, updatedAt: S, expiresAt: S, liveness: S, expirySeconds: N,
    }; // prettier-ignore
    expect(gaps(r.body, example)).toEqual([]);
    expect(r.body).toMatchObject({ status: 'paid', remainingAmount: '0', barcode });
    const total = r.body.paidBy.assetTotals[0];
    expect(gaps(total, { type: S, description: S, settlementDate: S, total: O, payerAccountId: S })).toEqual([]);
    expect(total.lineItems).toEqual(LINE_ITEMS);
    const short = await api('GET', `/api/payment-requests/short-code/${created.body.shortCode}`);
    expect(short.body).toEqual(r.body);
  });

  it('external-ref list pages with a pageKey (and nextPageKey) that must be URL-encoded', async () => {
    const externalRef = `PAGED-${++seq}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift((await api('POST', '/api/payment-requests', createBody({ externalRef }))).body.id);
    const base = `/api/payment-requests/external-ref/${externalRef}?merchantAccountId=${DEMO_ACCOUNT_ID}&paginationLimit=2`;
    const p1 = await api('GET', base);
    expect(gaps(p1.body, { items: A, pageKey: S })).toEqual([]);
    const item = { id: S, url: S, merchantName: S, value: O, createdAt: S, expiresAt: S, paymentOptions: A, status: S, liveness: S };
    expect(gaps(p1.body.items[0], item)).toEqual([]);
    expect(p1.body.nextPageKey).toBe(p1.body.pageKey);
    expect(p1.body.pageKey).toMatch(/[#|]/);
    const p2 = await api('GET', `${base}&pageKey=${encodeURIComponent(p1.body.pageKey)}`);
    expect([...p1.body.items, ...p2.body.items].map((x: Json) => x.id)).toEqual(ids);
    expect(p2.body.pageKey).toBeUndefined();
    // Not encoded, the key is cut at `#` (a URL fragment): refused, not a silent first page.
    expect((await api('GET', `${base}&pageKey=${p1.body.pageKey}`)).status).toBe(400);
  });

  it('summary (docs: no X-Api-Key) while new; 403 once closed', async () => {
    const pr = (await api('POST', '/api/payment-requests', createBody())).body;
    const r = await api('GET', `/api/payment-requests/${pr.id}/summary`, undefined, undefined);
    expect(r.status).toBe(200);
    const example = {
      id: S, url: S, merchantId: S, merchantName: S, value: O, createdAt: S, expiresAt: S, paymentOptions: A,
      remainingAmount: S, status: S, lineItems: A, liveness: S,
    }; // prettier-ignore
    expect(gaps(r.body, example)).toEqual([]);
    expect(r.body).toMatchObject({ id: pr.id, remainingAmount: '10000', status: 'new' });
    await api('POST', `/api/payment-requests/${pr.id}/void`);
    const closed = await api('GET', `/api/payment-requests/${pr.id}/summary`, undefined, undefined);
    expect(closed.status).toBe(403);
    expect(closed.body.message).toBe('REQUEST_CANCELLED');
  });
});

describe('barcode helpers', () => {
  it('decode and patron-code-by-barcode carry the docs fields (appName, assetId included)', async () => {
    const code = testPatronCode('7777');
    const d = await api('POST', '/api/decode', { code, scannedBy: 'merchant', merchantConfigId: configId });
    expect(gaps(d.body, { code: S, scannedBy: S, merchantConfigId: S, provider: S, displayName: S })).toEqual([]);
    const issued = (await rawCentrapayCall(sim.baseUrl, 'POST', '/control/codes', { body: {} })).body.code as string;
    for (const barcode of [code, issued]) {
      const pc = await api('GET', `/api/patron-codes/barcode/${barcode}`);
      const example = { id: S, accountId: S, barcode: S, createdAt: S, expiresAt: S, appName: S, assetId: S, metadata: O };
      expect(gaps(pc.body, example)).toEqual([]);
    }
  });
});

describe('payment activities (pay, refund, void, activities, conditions)', () => {
  it('pay echoes idempotencyKey and externalPaymentRef and has an id', async () => {
    const activity = await paidRequest();
    expect(gaps(activity, { ...ACTIVITY, id: S, idempotencyKey: S, externalPaymentRef: S })).toEqual([]);
    expect(activity.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refund with the docs payload (line item 4000 − 400 discount = 3600) echoes invoiceRef and lineItems', async () => {
    const paid = await paidRequest();
    const body = {
      value: { amount: '3600', currency: 'NZD' },
      externalRef: 'e8df06e2-13a5-48b4-b670-3fd6d815fe0a',
      invoiceRef: 'sy8CRmo3sp3ArOpnfmb423',
      lineItems: [LINE_ITEMS[0]],
    };
    const r = await api('POST', `/api/payment-requests/${paid.paymentRequestId as string}/refund`, body);
    expect(r.status).toBe(200);
    expect(gaps(r.body, { ...ACTIVITY, invoiceRef: S, lineItems: A })).toEqual([]);
    expect(r.body).toMatchObject({ type: 'refund', value: body.value, invoiceRef: body.invoiceRef, lineItems: body.lineItems });
    // A line-item sum that matches neither reading is still refused.
    const bad = await api('POST', `/api/payment-requests/${paid.paymentRequestId as string}/refund`, {
      ...body,
      externalRef: 'x',
      value: { amount: '3500', currency: 'NZD' },
    });
    expect(bad.body.message).toBe('LINE_ITEMS_SUM_CHECK_FAILED');
  });

  it('void, the activities list and a condition accept carry the docs fields', async () => {
    const paid = await paidRequest();
    const id = paid.paymentRequestId as string;
    const v = await api('POST', `/api/payment-requests/${id}/void`);
    expect(gaps(v.body, ACTIVITY)).toEqual([]);
    const list = await api('GET', `/api/payment-requests/${id}/activities`);
    for (const a of list.body.items.filter((x: Json) => x.type !== 'request')) expect(gaps(a, { ...ACTIVITY, id: S })).toEqual([]);

    const pc = await api('POST', '/api/payment-requests', { ...createBody({ barcode: testPatronCode('0005') }), conditionsEnabled: true });
    await api('GET', `/api/payment-requests/${pc.body.id}`);
    const accept = await api('POST', `/api/payment-requests/${pc.body.id}/conditions/1/accept`);
    const example = {
      type: S, value: O, paymentRequestId: S, conditionId: S, createdAt: S, createdBy: S, paymentRequestCreatedBy: S,
      activityNumber: S, merchantAccountId: S, merchantId: S, merchantConfigId: S, merchantName: S,
    }; // prettier-ignore
    expect(gaps(accept.body, example)).toEqual([]);
  });

  it('pay with mode/amount (partial payments) is refused, not paid in full', async () => {
    const pr = (await api('POST', '/api/payment-requests', createBody())).body;
    const r = await api('POST', `/api/payment-requests/${pr.id}/pay`, {
      idempotencyKey: 'partial-1',
      assetType: 'centrapay.nzd.test',
      assetId: 'a',
      amount: '200',
      mode: 'partial-payment',
    });
    expect(r.status).toBe(400);
    expect((await api('GET', `/api/payment-requests/${pr.id}`)).body.status).toBe('new');
  });
});
