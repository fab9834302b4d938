import { test, expect } from '@playwright/test';
import { issueWalletCode, pairKiosk, ringUpOpenAmount, waitForPendingCharge, wedgeScan, codeState } from './helpers';

test('decline shows the reason, a new code pays, and the order is charged once', async ({ page, request }) => {
  await pairKiosk(page);
  await ringUpOpenAmount(page, 799);
  await page.getByTestId('pay-wallet').click();

  const first = await issueWalletCode(request, 'alipay');
  await wedgeScan(page, first.code);
  const txn1 = await waitForPendingCharge(request, first.code);
  await request.post(`/sim/pockyt/control/transactions/${txn1}/decline`);
  await expect(page.getByTestId('pay-error')).toBeVisible();
  await expect(page.getByTestId('pay-error')).toHaveText(/declin/i);

  // The same (now used) code again is refused by the wallet network, with a reason.
  await page.getByTestId('pay-retry').click();
  await wedgeScan(page, first.code);
  await expect(page.getByTestId('pay-error')).toHaveText(/used|expired|already tried/i);

  await page.getByTestId('pay-retry').click();
  const second = await issueWalletCode(request, 'alipay');
  await wedgeScan(page, second.code);
  const txn2 = await waitForPendingCharge(request, second.code);
  await request.post(`/sim/pockyt/control/transactions/${txn2}/approve`);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 3_000 });

  expect((await codeState(request, first.code)).transaction?.status).toBe('failed');
  expect((await codeState(request, second.code)).transaction?.status).toBe('success');
});

test('a code of a wallet the store does not take is refused before any charge', async ({ page }) => {
  await pairKiosk(page);
  await ringUpOpenAmount(page, 100);
  await page.getByTestId('pay-wallet').click();
  await wedgeScan(page, '6212345678901234567'); // UnionPay: not routed for the demo US store
  await expect(page.getByTestId('pay-error')).toHaveText(/Alipay|WeChat/);
  await wedgeScan(page, 'https://example.com/not-a-code');
  await expect(page.getByTestId('pay-error')).toHaveText(/link|not a wallet/i);
});

test('cancel while the customer is confirming cancels at Pockyt', async ({ page, request }) => {
  await pairKiosk(page);
  await ringUpOpenAmount(page, 420);
  await page.getByTestId('pay-wallet').click();
  const { code } = await issueWalletCode(request, 'wechatpay');
  await wedgeScan(page, code);
  await waitForPendingCharge(request, code);
  await page.getByTestId('pay-cancel').click();
  await expect.poll(async () => (await codeState(request, code)).transaction?.status, { timeout: 5_000 }).toBe('closed');
  // Back on the sale with the cart intact, ready for another tender.
  await expect(page.getByTestId('cart-total')).toHaveText(/\$4\.20/);
});
