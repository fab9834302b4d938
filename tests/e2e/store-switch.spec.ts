import { test, expect } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { addItems, kioskToken, pairKioskAt } from './store-helpers';

// Demo mode: one tablet can try every provider by switching between the three demo stores in Settings.

test('switching store asks first, clears the cart, and prices, currency format and QR options follow', async ({ page, context }) => {
  await pairKioskAt(page, 'demo-us');
  await addItems(page, 'latte');
  await expect(page.getByTestId('cart-total')).toHaveText('$4.75');

  await page.getByTestId('nav-settings').click();
  // The customer display opens from Settings and follows the store.
  const [display] = await Promise.all([context.waitForEvent('page'), page.getByTestId('open-display').click()]);
  await display.waitForLoadState();
  expect(new URL(display.url()).pathname).toBe('/display');
  await expect(display.getByTestId('display-store')).toHaveText('Demo Coffee (US)');
  await expect(display.getByTestId('display-total')).toHaveText('$4.75');

  await page.bringToFront();
  await expect(page.getByTestId('store-option-demo-us')).toBeDisabled(); // current
  await page.getByTestId('store-option-demo-nz').click();
  await expect(page.getByRole('alertdialog')).toContainText('The cart (1 item) will be cleared');
  await page.getByTestId('store-switch-confirm').click();
  await expect(page.getByTestId('settings-store-name')).toHaveText('Demo Café (Wellington)');
  await expect(page.getByTestId('store-option-demo-nz')).toBeDisabled();
  await expect(display.getByTestId('display-store')).toHaveText('Demo Café (Wellington)');
  await expect(display.getByTestId('display-idle')).toBeVisible();

  await page.getByTestId('nav-sale').click();
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await expect(page.getByTestId('item-latte')).toHaveCount(0);
  await addItems(page, 'flat-white');
  // en-NZ formats NZD as "$5.50" (en-US would say "NZ$5.50").
  await expect(page.getByTestId('cart-total')).toHaveText('$5.50');
  await expect(page.getByTestId('pay-qr')).toContainText('Centrapay QR');

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('store-option-demo-ae').click();
  await page.getByTestId('store-switch-confirm').click();
  await expect(page.getByTestId('settings-store-name')).toHaveText('Demo Souk (Dubai)');
  await page.getByTestId('nav-sale').click();
  await addItems(page, 'karak');
  await expect(page.getByTestId('cart-total')).toHaveText(/^AED\s5\.00$/);
  await expect(page.getByTestId('pay-qr')).toContainText('PayBy QR');

  // Survives a reload: the proxy keeps the terminal on the new store.
  await page.reload();
  await expect(page.getByTestId('cart-total')).toHaveText(/^AED\s5\.00$/);
});

test('the proxy refuses a switch while a payment is open; the cashier sees why, and it works once it is closed', async ({
  page,
  request,
}) => {
  await pairKioskAt(page, 'demo-us');
  const auth = { Authorization: `Bearer ${await kioskToken(page)}` };
  // A merchant QR opened for this terminal elsewhere (e.g. another tab) is still waiting for the customer.
  const created = await request.post('/api/payments', {
    headers: { ...auth, 'Idempotency-Key': randomUUID() },
    data: { orderId: `e2e-${randomUUID()}`, amount: { value: 100, currency: 'USD' }, mode: 'mpm', provider: 'pockyt', vendor: 'alipay' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const payment = (await created.json()) as { id: string; status: string };
  expect(payment.status).toBe('pending');

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('store-option-demo-ae').click();
  await page.getByTestId('store-switch-confirm').click();
  await expect(page.getByTestId('store-switch-error')).toHaveText('Finish or cancel the payment in progress before switching stores.');
  await expect(page.getByTestId('settings-store-name')).toHaveText('Demo Coffee (US)');

  const cancelled = await request.post(`/api/payments/${payment.id}/cancel`, { headers: auth, data: {} });
  expect(cancelled.ok(), await cancelled.text()).toBeTruthy();
  await page.getByTestId('store-switch-confirm').click();
  await expect(page.getByTestId('settings-store-name')).toHaveText('Demo Souk (Dubai)');
  await expect(page.getByTestId('store-switch-error')).toHaveCount(0);
});
