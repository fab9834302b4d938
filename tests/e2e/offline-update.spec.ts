// Issue 5 §6: a new app version is offered by a prompt and never interrupts a payment. The update is real:
// the test serves the kiosk's own sw.js with a byte changed, so the browser installs a second service worker
// that waits (registerType 'prompt'); nothing on window is faked. While a payment is pending the prompt stays
// hidden; once the payment is final it appears, and applying it reloads into the new version.
import { expect, test, type Page } from '@playwright/test';
import { issueWalletCode, pairKiosk, ringUpOpenAmount, waitForPendingCharge } from './helpers';
import { enterCode, waitForServiceWorkerControl } from './offline-helpers';

const waitingWorker = (page: Page) => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);

test('the update prompt is held back while a payment is pending and offered once it is paid', async ({ page, context, request }) => {
  let build = 0;
  await context.route('**/sw.js', async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: `${await res.text()}\n// test build ${++build}\n` });
  });
  await pairKiosk(page);
  await waitForServiceWorkerControl(page);
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);

  await ringUpOpenAmount(page, 640);
  await page.getByTestId('pay-wallet').click();
  const { code } = await issueWalletCode(request, 'alipay');
  await enterCode(page, code);
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);
  const txn = await waitForPendingCharge(request, code);

  // A new version is published and installed in the background while the customer is confirming.
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await expect.poll(() => waitingWorker(page), { timeout: 20_000 }).toBe('installed');
  await page.waitForTimeout(1_000);
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);

  expect((await request.post(`/sim/pockyt/control/transactions/${txn}/approve`)).ok()).toBeTruthy();
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId('update-prompt')).toBeVisible();

  // Applying it switches to the new worker and reloads the page.
  const reloaded = page.waitForEvent('framenavigated');
  await page.getByTestId('update-apply').click();
  await reloaded;
  await expect(page.getByTestId('nav-sale')).toBeVisible();
  await expect.poll(() => waitingWorker(page)).toBeNull();
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
});
