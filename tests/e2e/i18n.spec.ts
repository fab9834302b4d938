// Languages (issue 12): the cashier switches in Settings (a labelled "Language" control), the Sale screen speaks
// Chinese, Arabic turns the page right-to-left and mirrors the layout, the receipt prints in the chosen
// language, and a store's default language (Dubai: Arabic) applies when nobody chose one.
import { expect, test, type Page } from '@playwright/test';
import { ringUpOpenAmount } from './helpers';
import { alipayTestCode, enterCode } from './offline-helpers';
import { newPairingPathFor } from './store-helpers';

async function boxes(page: Page) {
  const cart = await page.locator('.cart-area').boundingBox();
  const keypad = await page.locator('.keypad-area').boundingBox();
  if (!cart || !keypad) throw new Error('Sale screen panels not laid out');
  return { cart, keypad };
}

test('Settings → Language: Chinese on the Sale screen, Arabic mirrored right-to-left, receipt in the chosen language', async ({ page }) => {
  // Only the language on screen is downloaded: each language's messages are one module of their own.
  const languageModules: string[] = [];
  page.on('request', (r) => {
    const m = /\/assets\/(zh-CN|ar)-[\w-]+\.js$/.exec(new URL(r.url()).pathname);
    if (m) languageModules.push(m[1]);
  });
  await page.goto(newPairingPathFor('demo-us'));
  await expect(page.getByTestId('pay-wallet')).toHaveText('Wallet — scan customer code');
  expect(languageModules).toEqual([]);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await ringUpOpenAmount(page, 1250);
  const ltr = await boxes(page);
  expect(ltr.cart.x).toBeGreaterThan(ltr.keypad.x);

  await page.getByTestId('nav-settings').click();
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('nav-sale').click();
  await expect(page.getByTestId('nav-sale')).toHaveText('销售');
  await expect(page.getByTestId('pay-wallet')).toHaveText('钱包 — 扫描顾客付款码');
  await expect(page.locator('.cart h2')).toContainText('购物车');
  // The cart survived the switch (no reload), and money keeps the store's format.
  await expect(page.getByTestId('cart-total')).toHaveText('$12.50');
  expect(languageModules).toEqual(['zh-CN']);

  // The choice stays on this tablet.
  await page.reload();
  await expect(page.getByTestId('pay-wallet')).toHaveText('钱包 — 扫描顾客付款码');

  // A sale paid in Chinese prints a Chinese receipt.
  await page.getByTestId('pay-wallet').click();
  await expect(page.getByTestId('pay-status')).toHaveText('扫描顾客的付款码');
  await enterCode(page, alipayTestCode('0001'));
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toBeVisible({ timeout: 15_000 });
  await expect(receipt).toContainText('合计');
  await expect(receipt).toContainText('支付方式');
  await expect(receipt).toContainText('交易号');
  await expect(receipt).not.toContainText('Paid with');

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language-select').selectOption('ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await page.getByTestId('nav-sale').click();
  await expect(page.getByTestId('pay-wallet')).toHaveText('المحفظة — امسح رمز العميل');
  expect(languageModules.at(-1)).toBe('ar');
  await ringUpOpenAmount(page, 500);
  // Mirrored, not just translated: the cart panel moves from the right edge to the left, the keypad the other way.
  const rtl = await boxes(page);
  expect(rtl.cart.x).toBeLessThan(rtl.keypad.x);
  const width = page.viewportSize()!.width;
  expect(Math.abs(rtl.cart.x - (width - ltr.cart.x - ltr.cart.width))).toBeLessThan(4);
  expect(Math.abs(rtl.keypad.x - (width - ltr.keypad.x - ltr.keypad.width))).toBeLessThan(4);
  // Within the cart the total's label sits at the start (right) and the amount at the end (left).
  const label = await page.locator('.cart .sum span').first().boundingBox();
  const amount = await page.getByTestId('cart-total').boundingBox();
  expect(label!.x).toBeGreaterThan(amount!.x);

  // A printed receipt in Arabic.
  await page.getByTestId('pay-wallet').click();
  await enterCode(page, alipayTestCode('0001'));
  await expect(page.getByTestId('receipt')).toContainText('طريقة الدفع', { timeout: 15_000 });
  await expect(page.getByTestId('receipt')).toContainText('الإجمالي');
});

test('the Dubai store speaks Arabic by default (no one chose a language)', async ({ page }) => {
  await page.goto(newPairingPathFor('demo-ae'));
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByTestId('pay-wallet')).toHaveText('المحفظة — امسح رمز العميل');
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('language-select')).toHaveValue('');
  await expect(page.locator('#language-select option[value=""]')).toHaveText('الافتراضي للمتجر (العربية)');
});
