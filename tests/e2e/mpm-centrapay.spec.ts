import { test, expect } from '@playwright/test';
import { addItems, decodeQrScreenshot, openDisplay, pairKioskAt, payQrOnWallet, scanKioskQr } from './store-helpers';

// Merchant-presented QR through Centrapay (demo-nz, NZD): one option, so "Show QR to customer" is one tap;
// Centrapay's short code is shown for manual entry.

test('Centrapay QR with short code: scanned from the screen, paid on the phone → Paid on kiosk and display', async ({
  page,
  context,
  request,
}) => {
  await pairKioskAt(page, 'demo-nz');
  const display = await openDisplay(context);
  await expect(display.getByTestId('display-store')).toHaveText('Demo Café (Wellington)');

  await page.bringToFront();
  await addItems(page, 'flat-white', 'lamington'); // 5.50 + 5.20
  await expect(page.getByTestId('cart-total')).toHaveText('$10.70');
  await expect(display.getByTestId('display-total')).toHaveText('$10.70');

  await expect(page.getByTestId('pay-qr')).toContainText('Centrapay QR');
  await page.getByTestId('pay-qr').click();
  await expect(page.getByTestId('mpm-option-centrapay-default')).toHaveCount(0); // one option: no chooser
  await expect(page.getByTestId('mpm-amount')).toHaveText('$10.70');
  await expect(page.getByTestId('mpm-provider')).toHaveText(/Centrapay QR · Centrapay/);
  await expect(page.getByTestId('mpm-countdown')).toHaveText(/Expires in \d+:\d\d/);

  const payload = await scanKioskQr(page.getByTestId('mpm-qr'));
  expect(payload).toMatch(/\/sim\/centrapay\/pay\/[A-Za-z0-9]+$/);
  const shortCode = (await page.getByTestId('mpm-short-code').innerText()).trim();
  expect(shortCode).toMatch(/^CP-[A-Z0-9]{3}-[A-Z0-9]{3}$/);

  // The provider holds a `new` request for exactly this amount in minor units.
  const id = /\/pay\/([A-Za-z0-9]+)$/.exec(payload)![1];
  const before = await (await request.get(`/sim/centrapay/control/requests/${id}`)).json();
  expect(before).toMatchObject({ status: 'new', value: { amount: '1070', currency: 'NZD' } });

  await expect(display.getByTestId('display-qr')).toHaveAttribute('data-payload', payload);
  await expect(display.getByTestId('display-short-code')).toHaveText(shortCode);
  expect(await decodeQrScreenshot(display.getByTestId('display-qr'))).toEqual([payload]);

  // The wallet formats NZD as the Wellington kiosk does (one money rule, issue 12).
  await payQrOnWallet(context, payload, /^\$10\.70 to /);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 2_000 });
  await expect(page.getByTestId('receipt-amount')).toHaveText(/\$10\.70/);
  await expect(page.getByTestId('receipt-wallet')).toHaveText(/Centrapay/);
  await expect(display.getByTestId('display-paid')).toContainText('Paid — thank you');
  expect((await (await request.get(`/sim/centrapay/control/requests/${id}`)).json()).status).toBe('paid');
});
