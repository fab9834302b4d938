import { test, expect } from '@playwright/test';
import { addItems, decodeQrScreenshot, openDisplay, openQrOnWallet, pairKioskAt, payQrOnWallet, scanKioskQr } from './store-helpers';

// Merchant-presented QR through PayBy (demo-ae, AED): DYNQR token URL shown as a QR. The e2e server sets
// PAYBY_CONFIRM_WINDOW_MS=20000 (playwright.config.ts), so the QR expires within the expiry test.

const tokenOf = (payload: string) => /\/sim\/payby\/pay\/([\w-]+)$/.exec(payload)![1];

test('PayBy QR: scanned from the screen, paid on the phone → Paid on kiosk and display', async ({ page, context, request }) => {
  await pairKioskAt(page, 'demo-ae');
  const display = await openDisplay(context);
  await page.bringToFront();
  await addItems(page, 'karak', 'dates'); // 5.00 + 45.00
  await expect(page.getByTestId('cart-total')).toHaveText(/AED\s50\.00/);

  await page.getByTestId('pay-qr').click();
  await expect(page.getByTestId('mpm-amount')).toHaveText(/AED\s50\.00/);
  await expect(page.getByTestId('mpm-provider')).toHaveText(/PayBy QR · PayBy/);
  await expect(page.getByTestId('mpm-countdown')).toHaveText(/Expires in 0:(1\d|20)/);
  const payload = await scanKioskQr(page.getByTestId('mpm-qr'));
  expect(payload).toMatch(/\/sim\/payby\/pay\/[\w-]+$/);
  await expect(display.getByTestId('display-qr')).toHaveAttribute('data-payload', payload);
  await expect(display.getByTestId('display-amount')).toHaveText(/AED\s50\.00/);
  expect(await decodeQrScreenshot(display.getByTestId('display-qr'))).toEqual([payload]);

  await payQrOnWallet(context, payload, /^AED\s50\.00 to /);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 2_000 });
  await expect(page.getByTestId('receipt-wallet')).toHaveText(/PayBy/);
  await expect(display.getByTestId('display-paid')).toContainText(/AED\s50\.00/);
  const order = await (await request.get(`/sim/payby/control/tokens/${tokenOf(payload)}`)).json();
  expect(order.status).toBe('PAID_SUCCESS');
});

test('at expiry the QR is dead at PayBy; "New code" makes a new one for the same order, which is paid', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(90_000);
  await pairKioskAt(page, 'demo-ae');
  const display = await openDisplay(context);
  await page.bringToFront();
  await addItems(page, 'water');
  await page.getByTestId('pay-qr').click();
  const first = await scanKioskQr(page.getByTestId('mpm-qr'));
  await expect(page.getByTestId('mpm-new-code')).toHaveCount(0);

  // The countdown runs out: the kiosk says so and offers a new code; the customer display stops showing it.
  await expect(page.getByTestId('mpm-status')).toHaveText('QR code expired', { timeout: 30_000 });
  await expect(page.getByTestId('mpm-countdown')).toHaveText('Expired');
  await expect(page.getByTestId('mpm-new-code')).toBeVisible();
  await expect(display.getByTestId('display-failed')).toContainText(/expired/i);
  await expect(display.getByTestId('display-qr')).toHaveCount(0);

  await page.getByTestId('mpm-new-code').click();
  const firstOrder = await (await request.get(`/sim/payby/control/tokens/${tokenOf(first)}`)).json();
  // Closed at the provider before the new code was made: expired by the proxy, or cancelled by New code.
  expect(firstOrder.status).not.toBe('CREATED');
  expect(firstOrder.status).not.toBe('PAID_SUCCESS');

  await expect(page.getByTestId('mpm-status')).toHaveText(/scan and pay/);
  const second = await scanKioskQr(page.getByTestId('mpm-qr'));
  expect(second).not.toBe(first);
  await expect(display.getByTestId('display-qr')).toHaveAttribute('data-payload', second);
  const secondOrder = await (await request.get(`/sim/payby/control/tokens/${tokenOf(second)}`)).json();
  expect(secondOrder.merchantOrderNo ?? secondOrder.transactionNo).not.toBe(firstOrder.merchantOrderNo ?? firstOrder.transactionNo);

  // The old QR can no longer be paid from the phone.
  const old = await openQrOnWallet(context, first);
  await expect(old.getByTestId('wallet-mpm-status')).toBeVisible();
  await expect(old.getByTestId('wallet-mpm-pay')).toHaveCount(0);
  await old.close();

  await payQrOnWallet(context, second, /^AED\s2\.00 to /);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 2_000 });
  await expect(display.getByTestId('display-paid')).toBeVisible();
});
