// Issue 4 "Push and the kiosk": the kiosk journals each attempt before the first send and, after a reload, a
// lost network or a notification it missed, resumes where the payment really is — never charging twice.
import { expect, test } from '@playwright/test';
import { codeState, issueWalletCode, pairKiosk, ringUpOpenAmount, waitForPendingCharge } from './helpers';
import { alipayTestCode, currentOrderId, enterCode, serverPayments, terminalToken, waitForServiceWorkerControl } from './offline-helpers';

test('reload mid-payment resumes on "confirm in their wallet", then the approval shows Paid; one payment', async ({ page, request }) => {
  await pairKiosk(page);
  const token = await terminalToken(page);
  await ringUpOpenAmount(page, 1875);
  const orderId = await currentOrderId(page);
  await page.getByTestId('pay-wallet').click();
  const { code } = await issueWalletCode(request, 'alipay');
  await enterCode(page, code);
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);
  const txn = await waitForPendingCharge(request, code);

  await page.reload();
  await expect(page.getByTestId('pay-amount')).toHaveText(/\$18\.75/);
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);
  // Locked on the payment: no way to start another sale or a second charge meanwhile.
  await expect(page.getByTestId('nav-sale')).toBeDisabled();

  expect((await request.post(`/sim/pockyt/control/transactions/${txn}/approve`)).ok()).toBeTruthy();
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 3_000 });
  await expect(page.getByTestId('receipt-amount')).toHaveText(/\$18\.75/);
  expect((await serverPayments(request, token, orderId)).map((p) => p.status)).toEqual(['succeeded']);
});

test('network cut mid-payment and a reload while offline: "Checking payment…" until the proxy answers, then Paid', async ({
  page,
  context,
  request,
}) => {
  await pairKiosk(page);
  await waitForServiceWorkerControl(page);
  const token = await terminalToken(page);
  await ringUpOpenAmount(page, 2300);
  const orderId = await currentOrderId(page);
  await page.getByTestId('pay-wallet').click();
  const { code } = await issueWalletCode(request, 'wechatpay');
  await enterCode(page, code);
  const txn = await waitForPendingCharge(request, code);

  await context.setOffline(true);
  await page.reload(); // served by the service worker; the proxy cannot be asked
  await expect(page.getByTestId('conn-status')).toHaveText('Offline');
  await expect(page.getByTestId('pay-status')).toHaveText(/Checking payment/);
  await expect(page.getByTestId('pay-amount')).toHaveText(/\$23\.00/);

  // The customer approves while the tablet is cut off.
  expect((await request.post(`/sim/pockyt/control/transactions/${txn}/approve`)).ok()).toBeTruthy();
  await page.waitForTimeout(1_500);
  await expect(page.getByTestId('pay-status')).toHaveText(/Checking payment/);

  await context.setOffline(false);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('receipt-wallet')).toHaveText(/WeChat Pay/);
  expect((await serverPayments(request, token, orderId)).map((p) => p.status)).toEqual(['succeeded']);
  expect((await codeState(request, code)).transaction?.status).toBe('success');
});

test.describe('answer lost in flight', () => {
  // Without the service worker so the test can drop the proxy's answer on the way back (page.route).
  test.use({ serviceWorkers: 'block' });

  test('the proxy charged but its answer is lost: "Checking payment…", same key resent, Paid, one payment', async ({ page, request }) => {
    await pairKiosk(page);
    const token = await terminalToken(page);
    await ringUpOpenAmount(page, 1010);
    const orderId = await currentOrderId(page);
    const keys: string[] = [];
    let cut = true;
    await page.route('**/api/payments', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key']);
      if (!cut) return route.continue();
      await route.fetch(); // the proxy receives it and charges (sandbox code 0001 succeeds at once)…
      await route.abort('connectionreset'); // …and the answer never reaches the tablet
    });
    await page.getByTestId('pay-wallet').click();
    await enterCode(page, alipayTestCode('0001'));
    await expect(page.getByTestId('pay-status')).toHaveText(/Checking payment/);
    await expect.poll(() => keys.length).toBeGreaterThanOrEqual(2);
    expect((await serverPayments(request, token, orderId)).map((p) => p.status)).toEqual(['succeeded']);
    await expect(page.getByTestId('paid-banner')).toHaveCount(0);

    cut = false;
    await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 15_000 });
    expect(new Set(keys).size).toBe(1); // every resend carried the first attempt's key
    expect((await serverPayments(request, token, orderId)).map((p) => p.status)).toEqual(['succeeded']);
  });
});

test('the approval is pushed while the event stream is down: after reconnecting the kiosk still shows Paid', async ({
  page,
  context,
  request,
}) => {
  await pairKiosk(page);
  const token = await terminalToken(page);
  await ringUpOpenAmount(page, 560);
  const orderId = await currentOrderId(page);
  await page.getByTestId('pay-wallet').click();
  const { code } = await issueWalletCode(request, 'alipay');
  await enterCode(page, code);
  const txn = await waitForPendingCharge(request, code);

  await context.setOffline(true);
  await expect(page.getByTestId('conn-status')).toHaveText('Offline');
  expect((await request.post(`/sim/pockyt/control/transactions/${txn}/approve`)).ok()).toBeTruthy();
  await page.waitForTimeout(1_500);
  await expect(page.getByTestId('paid-banner')).toHaveCount(0); // it cannot know yet
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);

  await context.setOffline(false);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 5_000 });
  expect((await serverPayments(request, token, orderId)).map((p) => p.status)).toEqual(['succeeded']);
});
