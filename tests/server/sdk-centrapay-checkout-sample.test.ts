// Centrapay publishes no server SDK; its official reference client is centrapay/centrapay-checkout-sample
// @ ac88c30. This file makes exactly its calls against the simulator: server/server.js createPaymentRequest()
// (POST /api/payment-requests, `Content-Type: application/json`, `X-Api-Key`, body `{configId, ...props}`)
// and getPaymentRequest() (GET /api/payment-requests/{id} with `X-Api-Key` only), with the props the browser
// clients send (redirect-client/app.js: value, lineItems, redirectPaidUrl, redirectCancelUrl), and then
// does what the clients do with the answer (`response.ok`, `json.message` on error, go to `json.url`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startCentrapaySimulator, type RunningSimulator } from '../../sandbox/centrapay/standalone.ts';

const { apiKey: CENTRAPAY_MERCHANT_API_KEY, configId: CENTRAPAY_MERCHANT_CONFIG_ID } = DEMO_CREDENTIALS;
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startCentrapaySimulator({ pendingMs: 100 });
});
afterAll(() => sim.close());

async function handleResponse(response: Response) {
  return { jsonResponse: (await response.json()) as Record<string, any>, httpStatusCode: response.status };
}
async function createPaymentRequest(props: Record<string, unknown>) {
  const response = await fetch(`${sim.baseUrl}/api/payment-requests`, {
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': CENTRAPAY_MERCHANT_API_KEY },
    method: 'POST',
    body: JSON.stringify({ configId: CENTRAPAY_MERCHANT_CONFIG_ID, ...props }),
  });
  return handleResponse(response);
}
async function getPaymentRequest({ paymentRequestId }: { paymentRequestId: string }) {
  const response = await fetch(`${sim.baseUrl}/api/payment-requests/${paymentRequestId}`, {
    headers: { 'X-Api-Key': CENTRAPAY_MERCHANT_API_KEY },
  });
  return handleResponse(response);
}

const redirectClientBody = {
  value: { amount: '1', currency: 'NZD' },
  lineItems: [{ name: 'Coffee Grounds', sku: 'GH1234', qty: '1', price: '1', tax: '15.00' }],
  redirectPaidUrl: 'http://localhost:6789/paid',
  redirectCancelUrl: 'http://localhost:6789/cancel',
};

describe('centrapay-checkout-sample against the simulator', () => {
  it('redirect client: creates, gets a url to go to, and reads the request back with its redirect URLs', async () => {
    const created = await createPaymentRequest(redirectClientBody);
    expect(created.httpStatusCode).toBe(200);
    expect(created.jsonResponse.url).toMatch(/\/pay\/[A-Za-z0-9]+$/);
    const got = await getPaymentRequest({ paymentRequestId: created.jsonResponse.id });
    expect(got.httpStatusCode).toBe(200);
    expect(got.jsonResponse).toMatchObject({
      status: 'new',
      value: { amount: '1', currency: 'NZD' },
      lineItems: redirectClientBody.lineItems,
      redirectPaidUrl: 'http://localhost:6789/paid',
      redirectCancelUrl: 'http://localhost:6789/cancel',
      remainingAmount: '1',
    });
  });

  it('a redirect URL the merchant config cannot allow is 403 REDIRECT_URL_INVALID, which the client shows as json.message', async () => {
    const r = await createPaymentRequest({ ...redirectClientBody, redirectPaidUrl: 'javascript:alert(1)' });
    expect(r.httpStatusCode).toBe(403);
    expect(r.jsonResponse.message).toBe('REDIRECT_URL_INVALID');
  });

  it('preAuth (the client comment offers it) is refused, not turned into an ordinary payment', async () => {
    const r = await createPaymentRequest({ ...redirectClientBody, preAuth: true });
    expect(r.httpStatusCode).toBe(400);
    expect(r.jsonResponse.reason).toMatch(/preAuth/);
  });
});
