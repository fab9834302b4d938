// Issue 9: a 429 outside the payment flow (src/lib/api/throttle.ts). The proxy's rate limit refuses before it
// reads a PIN, so a refused sign-in is sent again by the kiosk after Retry-After, with a countdown on screen;
// a wait too long to sit through (pairing's minute window) is the cashier's, with "try again in N s".
import { expect, test } from '@playwright/test';
import { newPairingPath, pairKiosk } from './helpers';

// Without the service worker so the test can answer for the proxy (page.route).
test.use({ serviceWorkers: 'block' });

const limited = (seconds: number) => ({
  status: 429,
  headers: { 'content-type': 'application/json', 'retry-after': String(seconds) },
  // What server/routes/limits.ts answers.
  body: JSON.stringify({
    error: { code: 'rate_limited', message: `Too many staff PIN requests from this tablet. Try again in ${seconds} s.` },
  }),
});

test('a sign-in refused by the rate limit is sent again after Retry-After, the same PIN once more; the cashier sees a countdown, no error', async ({
  page,
}) => {
  await pairKiosk(page);
  const sends: { body: string; at: number }[] = [];
  await page.route('**/api/staff/sign-in', async (route) => {
    sends.push({ body: route.request().postData() ?? '', at: Date.now() });
    if (sends.length === 1) return route.fulfill(limited(2));
    return route.continue();
  });
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sign-in-pin').fill('1234');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('throttle-notice')).toHaveText(/Sending again in [12] s/);
  await expect(page.getByTestId('sign-out')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('sign-in-error')).toHaveCount(0);
  await expect(page.getByTestId('throttle-notice')).toHaveCount(0);
  expect(sends).toHaveLength(2);
  expect(JSON.parse(sends[1].body)).toEqual(JSON.parse(sends[0].body));
  expect(sends[1].at - sends[0].at).toBeGreaterThanOrEqual(2000);
});

test('pairing refused for longer than the kiosk waits: "too many attempts, try again in N s" counting down, then pairing works', async ({
  page,
}) => {
  const code = new URL(newPairingPath(), 'http://x').searchParams.get('pair')!;
  await page.goto('/');
  await expect(page.getByTestId('pair-code-input')).toBeVisible();
  let sends = 0;
  await page.route('**/api/terminals/pair', (route) => {
    sends++;
    return route.fulfill(limited(40));
  });
  await page.getByTestId('pair-code-input').fill(code);
  await page.getByTestId('pair-submit').click();
  await expect(page.getByTestId('pair-status')).toHaveText(/Too many attempts\. Try again in 40 s\./);
  const notice = page.getByTestId('throttle-notice');
  await expect(notice).toHaveText(/Try again in (40|39) s/);
  await expect(notice).toHaveText(/Try again in 3[0-8] s/, { timeout: 5_000 });
  expect(sends).toBe(1);

  // The wait is over (here: the limit lifted): the same code pairs.
  await page.unroute('**/api/terminals/pair');
  await page.getByTestId('pair-submit').click();
  await expect(page.getByTestId('pay-wallet')).toBeVisible();
});
