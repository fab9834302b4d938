import { test, expect } from '@playwright/test';
import { issueWalletCode, pairKiosk, ringUpOpenAmount, waitForPendingCharge, wedgeScan, codeState } from './helpers';

test('keyboard-wedge scan with nothing focused → customer approves → Paid with receipt', async ({ page, request }) => {
  await pairKiosk(page);
  await ringUpOpenAmount(page, 1250);
  await expect(page.getByTestId('cart-total')).toHaveText(/\$12\.50/);
  await page.getByTestId('pay-wallet').click();
  await expect(page.getByTestId('pay-amount')).toHaveText(/\$12\.50/);

  const { code } = await issueWalletCode(request, 'alipay');
  await wedgeScan(page, code);
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);
  const txn = await waitForPendingCharge(request, code);

  const approve = await request.post(`/sim/pockyt/control/transactions/${txn}/approve`);
  expect(approve.ok()).toBeTruthy();
  // Pushed over SSE: the banner must follow the wallet's approval within about a second.
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 1_500 });
  await expect(page.getByTestId('receipt-amount')).toHaveText(/\$12\.50/);
  await expect(page.getByTestId('receipt-wallet')).toHaveText(/Alipay/);
  await expect(page.getByTestId('receipt-txn')).toHaveText(new RegExp(txn));
  expect((await codeState(request, code)).transaction?.status).toBe('success');

  await page.getByTestId('new-sale').click();
  await expect(page.getByTestId('cart-total')).toHaveText(/\$0\.00/);
});

test('the customer uses the wallet page: pick WeChat Pay, kiosk reads the code, approve on the phone', async ({ page, context }) => {
  await pairKiosk(page);
  await page.getByTestId('key-5').click();
  await page.getByTestId('key-0').click();
  await page.getByTestId('key-0').click();
  await page.getByTestId('add-amount').click();
  await page.getByTestId('pay-wallet').click();

  const phone = await context.newPage();
  await phone.goto('/wallet');
  await phone.getByTestId('wallet-vendor-wechatpay').click();
  const code = (await phone.getByTestId('wallet-code-text').innerText()).replace(/\s+/g, '');
  expect(code).toMatch(/^1[0-5]\d{16}$/);
  await expect(phone.getByTestId('wallet-qr')).toBeVisible();
  await expect(phone.getByTestId('wallet-barcode')).toBeVisible();

  await page.bringToFront();
  await wedgeScan(page, code);
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);
  await phone.getByTestId('wallet-approve').click();
  await expect(phone.getByTestId('wallet-status')).toHaveText(/paid/i);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 3_000 });
  await expect(page.getByTestId('receipt-wallet')).toHaveText(/WeChat Pay/);
});

test('a scan the loaded browser hands over one key every 400 ms, long after it was typed, is still one scan', async ({ page, request }) => {
  await pairKiosk(page);
  await ringUpOpenAmount(page, 700);
  await page.getByTestId('pay-wallet').click();
  await expect(page.getByTestId('pay-amount')).toHaveText(/\$7\.00/);
  const { code } = await issueWalletCode(request, 'alipay');
  // Each hand-over outlasts the Pay screen's 300 ms burst timeout while the page itself is idle.
  await wedgeScan(page, code, { handOverMs: 400 });
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);
  await waitForPendingCharge(request, code);
});
