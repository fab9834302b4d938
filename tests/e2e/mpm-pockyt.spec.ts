import { test, expect } from '@playwright/test';
import { addItems, decodeQrScreenshot, openDisplay, openQrOnWallet, pairKioskAt, payQrOnWallet, scanKioskQr } from './store-helpers';

// Merchant-presented QR through Pockyt (demo-us, USD): the kiosk shows Pockyt's deep link as a QR, the test
// reads it from a screenshot (so it is scannable), and the wallet page pays it like the customer's phone.

test('Alipay QR: scanned from the screen, paid on the phone → Paid on the kiosk and the customer display', async ({ page, context }) => {
  await pairKioskAt(page, 'demo-us');
  const display = await openDisplay(context);
  await expect(display.getByTestId('display-idle')).toContainText('Welcome');
  await expect(display.getByTestId('display-store')).toHaveText('Demo Coffee (US)');

  await page.bringToFront();
  await addItems(page, 'espresso', 'latte'); // 3.25 + 4.75
  await expect(page.getByTestId('cart-total')).toHaveText('$8.00');
  await expect(display.getByTestId('display-total')).toHaveText('$8.00');

  await page.getByTestId('pay-qr').click();
  await page.getByTestId('mpm-option-pockyt-alipay').click();
  await expect(page.getByTestId('mpm-amount')).toHaveText('$8.00');
  await expect(page.getByTestId('mpm-provider')).toHaveText(/Alipay QR · Pockyt/);
  await expect(page.getByTestId('mpm-countdown')).toHaveText(/Expires in \d+:\d\d/);
  await expect(page.getByTestId('mpm-short-code')).toHaveCount(0); // Pockyt has none
  // Nav is locked while a QR is open at the provider.
  await expect(page.getByTestId('nav-settings')).toBeDisabled();

  const payload = await scanKioskQr(page.getByTestId('mpm-qr'));
  expect(payload).toMatch(/\/sim\/pockyt\/qr\/\d+$/);

  // The customer display shows the same QR (also scannable), amount and countdown; the cashier keeps theirs.
  await expect(display.getByTestId('display-qr')).toHaveAttribute('data-payload', payload);
  expect(await decodeQrScreenshot(display.getByTestId('display-qr'))).toEqual([payload]);
  await expect(display.getByTestId('display-amount')).toHaveText('$8.00');
  await expect(display.getByTestId('display-countdown')).toHaveText(/\d+:\d\d/);

  const phone = await payQrOnWallet(context, payload, /^\$8\.00 to /);
  await phone.close();
  // Pushed over SSE: the kiosk follows the payment within about a second.
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 2_000 });
  await expect(page.getByTestId('receipt-amount')).toHaveText(/\$8\.00/);
  await expect(page.getByTestId('receipt-wallet')).toHaveText(/Alipay/);
  const txn = /\/qr\/(\d+)$/.exec(payload)![1];
  await expect(page.getByTestId('receipt-txn')).toHaveText(new RegExp(txn));
  await expect(display.getByTestId('display-paid')).toContainText('Paid — thank you');
  await expect(display.getByTestId('display-paid')).toContainText('$8.00');

  await page.getByTestId('new-sale').click();
  await expect(display.getByTestId('display-idle')).toBeVisible();
});

test('Cancel voids the WeChat Pay QR at Pockyt and returns to the sale with the cart intact', async ({ page, context, request }) => {
  await pairKioskAt(page, 'demo-us');
  const display = await openDisplay(context);
  await page.bringToFront();
  await addItems(page, 'croissant', 'tea'); // 3.75 + 3.00
  await page.getByTestId('pay-qr').click();
  await page.getByTestId('mpm-option-pockyt-wechatpay').click();
  const payload = await scanKioskQr(page.getByTestId('mpm-qr'));
  await expect(page.getByTestId('mpm-provider')).toHaveText(/WeChat Pay QR · Pockyt/);
  await expect(display.getByTestId('display-qr')).toHaveAttribute('data-payload', payload);
  const txn = /\/qr\/(\d+)$/.exec(payload)![1];
  expect((await (await request.get(`/sim/pockyt/control/transactions/${txn}`)).json()).status).toBe('init');

  await page.getByTestId('mpm-cancel').click();
  await expect(page.getByTestId('cart-total')).toHaveText('$6.75', { timeout: 5_000 });
  await expect(page.getByTestId('cart-line')).toHaveCount(2);
  await expect(display.getByTestId('display-total')).toHaveText('$6.75');

  // Pockyt closed it: the customer can no longer pay that QR.
  const t = await (await request.get(`/sim/pockyt/control/transactions/${txn}`)).json();
  expect(t.status).toBe('closed');
  const phone = await openQrOnWallet(context, payload);
  await expect(phone.getByTestId('wallet-mpm-status')).toHaveText(/cancelled/i);
  await expect(phone.getByTestId('wallet-mpm-pay')).toHaveCount(0);

  // A new QR for the same order works (a new attempt after the cancelled one).
  await page.bringToFront();
  await page.getByTestId('pay-qr').click();
  await page.getByTestId('mpm-option-pockyt-alipay').click();
  const second = await scanKioskQr(page.getByTestId('mpm-qr'));
  expect(second).not.toBe(payload);
  await page.getByTestId('mpm-cancel').click();
  await expect(page.getByTestId('cart-total')).toHaveText('$6.75', { timeout: 5_000 });
});
