// Issue 9: the proxy answers "slow down" (429 + Retry-After) to the charge. The kiosk waits it out with a calm
// message — not an error, not a failed sale — and then sends the same request with the same key.
import { expect, test } from '@playwright/test';
import { pairKiosk, ringUpOpenAmount } from './helpers';
import { alipayTestCode, currentOrderId, enterCode, serverPayments, terminalToken } from './offline-helpers';

// Without the service worker so the test can answer for the proxy (page.route).
test.use({ serviceWorkers: 'block' });

test('a 429 on the charge: "asked us to wait", no error, the same key again after Retry-After, then Paid', async ({ page, request }) => {
  await pairKiosk(page);
  const token = await terminalToken(page);
  await ringUpOpenAmount(page, 1320);
  const orderId = await currentOrderId(page);
  const sends: { key: string; at: number }[] = [];
  await page.route('**/api/payments', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    sends.push({ key: route.request().headers()['idempotency-key'], at: Date.now() });
    if (sends.length > 1) return route.continue();
    // What the proxy's rate limit answers (server/routes/limits.ts).
    await route.fulfill({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '3' },
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'This tablet is sending too many requests. Try again in 3 s.' } }),
    });
  });
  await page.getByTestId('pay-wallet').click();
  await enterCode(page, alipayTestCode('0001'));
  await expect(page.getByText(/asked us to wait a moment/)).toBeVisible();
  await expect(page.getByTestId('pay-error')).toHaveCount(0);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 15_000 });
  expect(sends).toHaveLength(2);
  expect(sends[1].key).toBe(sends[0].key);
  expect(sends[1].at - sends[0].at).toBeGreaterThanOrEqual(3000);
  expect((await serverPayments(request, token, orderId)).map((p) => p.status)).toEqual(['succeeded']);
});
