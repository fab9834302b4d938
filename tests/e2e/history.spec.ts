// Sales history journeys (issue 11, items 1-3): find a sale, reprint its receipt, refund part of it with a
// supervisor PIN from the detail (refund slip), open the e-receipt on a phone-sized screen, and see the
// whole store's sales only with a PIN.
import { test, expect, type Page } from '@playwright/test';
import { pairKiosk, ringUpOpenAmount, wedgeScan } from './helpers';

/** An Alipay-shaped code the Pockyt simulator charges at once (suffix 0001). */
function instantCode(): string {
  return `28${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}0001`;
}

async function sell(page: Page, minor: number): Promise<{ receiptNo: string; eReceiptUrl: string }> {
  await ringUpOpenAmount(page, minor);
  await page.getByTestId('pay-wallet').click();
  await wedgeScan(page, instantCode());
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  const receiptNo = await page.getByTestId('receipt-number').innerText();
  expect(receiptNo).toMatch(/^\d{8}-\d{4}$/);
  const eReceiptUrl = (await page.getByTestId('ereceipt').getAttribute('data-url'))!;
  expect(eReceiptUrl).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId('ereceipt-qr').locator('svg')).toBeVisible();
  await page.getByTestId('new-sale').click();
  return { receiptNo, eReceiptUrl };
}

test('find a sale, reprint it, refund part of it with a PIN, and the e-receipt on a phone shows the refund', async ({ page, browser }) => {
  await pairKiosk(page);
  await sell(page, 725);
  const { receiptNo, eReceiptUrl } = await sell(page, 1250);

  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await page.getByTestId('history-search').fill('12.50');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('history-search').fill(receiptNo);
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('history-row').click();
  await expect(page.getByTestId('detail-amount')).toHaveText(/\$12\.50/);
  await expect(page.getByTestId('detail-receipt')).toHaveText(receiptNo);
  await expect(page.getByTestId('timeline').locator('li')).not.toHaveCount(0);

  // Reprint: the copy of the receipt goes to the printer.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void ((window as unknown as { printed: number }).printed += 1);
  });
  await page.getByTestId('reprint').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await expect(page.getByTestId('receipt')).toContainText('COPY');
  await expect(page.getByTestId('receipt-number')).toHaveText(receiptNo);

  // Partial refund, supervisor PIN (demo: 1234); a wrong PIN first is refused and nothing is refunded.
  await page.getByTestId('refund-amount').fill('5.00');
  await page.getByTestId('refund-start').click();
  await page.getByTestId('pin-input').fill('0000');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-error')).toContainText(/wrong pin/i);
  await page.getByTestId('pin-input').fill('1234');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('detail-result')).toContainText('$5.00');
  await expect(page.getByTestId('refund-slip')).toBeVisible();
  await expect(page.getByTestId('refund-slip-amount')).toHaveText(/\$5\.00/);
  await expect(page.getByTestId('detail-refunded')).toHaveText(/\$5\.00/, { timeout: 15_000 });
  await expect(page.getByTestId('detail-status')).toHaveText(/partially refunded/);
  await page.getByTestId('print-slip').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(2);

  // The customer's phone: no login, only this receipt, nothing wider than the screen.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const tab = await phone.newPage();
  await tab.goto(eReceiptUrl);
  const receipt = tab.getByTestId('e-receipt');
  await expect(receipt).toContainText('$12.50');
  await expect(receipt).toContainText('$5.00');
  await expect(receipt).toContainText(receiptNo);
  await expect(receipt).toContainText('100 Main Street');
  expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const wrong = await tab.goto(eReceiptUrl.replace(/.{4}$/, 'AAAA'));
  expect(wrong?.status()).toBe(404);
  await phone.close();
});

test.describe('a slow search', () => {
  // The kiosk's service worker fetches /api itself; page.route sees the requests only without it.
  test.use({ serviceWorkers: 'block' });

  test('the rows stay while the next search is on its way: a tap on a sale then still opens it', async ({ page }) => {
    await pairKiosk(page);
    await sell(page, 777);
    await page.getByTestId('nav-history').click();
    const row = page.getByTestId('history-row').filter({ hasText: '$7.77' });
    await expect(row).toHaveCount(1);
    // The search the cashier's typing starts is slow to answer (a busy proxy, a weak network).
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/payments\?.*q=7\.77/, async (route) => {
      await held;
      await route.continue();
    });
    const searching = page.waitForRequest(/\/api\/payments\?.*q=7\.77/);
    await page.getByTestId('history-search').fill('7.77');
    await searching;
    // Before the answer: the sale is still listed, and tapping it opens it.
    await expect(row).toBeVisible({ timeout: 1000 });
    await row.click();
    await expect(page.getByTestId('detail-amount')).toHaveText(/\$7\.77/);
    release();
  });
});

test("another till's sales show only in store scope, after a supervisor's PIN", async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherTill = await other.newPage();
  await pairKiosk(otherTill);
  await sell(otherTill, 333);
  await other.close();

  await pairKiosk(page);
  // The PIN is checked once, for a store-view grant; every page, search and detail after sends the grant.
  const staffHeaders: { path: string; pin: boolean; grant: boolean }[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/payments') || path === '/api/staff/grants') {
      const h = r.headers();
      staffHeaders.push({ path, pin: 'x-staff-pin' in h, grant: 'x-staff-grant' in h });
    }
  });
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-empty')).toBeVisible();
  await page.getByTestId('history-scope-store').click();
  await page.getByTestId('pin-input').fill('1234');
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('history-search').fill('3.33');
  await expect(page.getByTestId('history-row')).not.toHaveCount(0);
  await page.getByTestId('history-row').first().click();
  await expect(page.getByTestId('detail-amount')).toHaveText(/\$3\.33/);
  expect(staffHeaders.filter((h) => h.path === '/api/staff/grants')).toHaveLength(1);
  expect(staffHeaders.filter((h) => h.pin)).toEqual([]);
  expect(staffHeaders.filter((h) => h.grant).length).toBeGreaterThanOrEqual(2);
  await page.getByTestId('detail-back').click();
  await page.getByTestId('history-scope-terminal').click();
  await expect(page.getByTestId('history-empty')).toBeVisible();
});

test("a signed-in supervisor sees the whole store without a PIN and refunds another till's sale", async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherTill = await other.newPage();
  await pairKiosk(otherTill);
  await sell(otherTill, 444);
  await other.close();

  await pairKiosk(page);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sign-in-pin').fill('1234');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-out')).toBeVisible();
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-empty')).toBeVisible();
  await page.getByTestId('history-scope-store').click();
  await expect(page.getByTestId('history-scope-terminal')).toBeVisible();
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
  await page.getByTestId('history-search').fill('4.44');
  await expect(page.getByTestId('history-row')).not.toHaveCount(0);
  await page.getByTestId('history-row').first().click();
  await expect(page.getByTestId('detail-amount')).toHaveText(/\$4\.44/);

  // Another till's sale: refund it from here. The signed-in supervisor only confirms: no PIN is asked again.
  await page.getByTestId('refund-amount').fill('1.00');
  await page.getByTestId('refund-start').click();
  await expect(page.getByTestId('pin-signed-in')).toContainText('supervisor');
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('detail-result')).toContainText('$1.00');
  await expect(page.getByTestId('detail-refunded')).toHaveText(/\$1\.00/, { timeout: 15_000 });
  await page.getByTestId('detail-back').click();

  // Signing out takes the whole store's sales off the screen.
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('history-scope-store')).toBeVisible();
  await expect(page.getByTestId('history-empty')).toBeVisible();
});

test('void a sale from its detail with a PIN: the detail and timeline show it, and a second void is refused', async ({ page, context }) => {
  await pairKiosk(page);
  const { receiptNo } = await sell(page, 860);
  const openSale = async (p: Page) => {
    await p.getByTestId('nav-history').click();
    await p.getByTestId('history-search').fill(receiptNo);
    await expect(p.getByTestId('history-row')).toHaveCount(1);
    await p.getByTestId('history-row').click();
    await expect(p.getByTestId('detail-amount')).toHaveText(/\$8\.60/);
  };
  await openSale(page);
  await expect(page.getByTestId('detail-status')).toHaveText(/succeeded/);
  // The same sale open on a second screen of this tablet, still showing Void: it will try a second void.
  const stale = await context.newPage();
  await stale.goto('/');
  await openSale(stale);
  await expect(stale.getByTestId('void-start')).toBeVisible();

  // A cashier is signed in (demo: 1111): a cashier's session cannot void, so the supervisor's PIN is asked (1234).
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sign-in-pin').fill('1111');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-out')).toBeVisible();
  await page.getByTestId('void-start').click();
  await expect(page.getByTestId('pin-signed-in')).toHaveCount(0);
  await page.getByTestId('pin-input').fill('1234');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('detail-result')).toContainText(/void sent/i);
  await expect(page.getByTestId('detail-status')).toHaveText(/reversed|refunded/, { timeout: 15_000 });
  await expect(page.getByTestId('void-start')).toHaveCount(0);
  await expect(page.getByTestId('refund-start')).toHaveCount(0);
  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('li[data-kind="staff"]').filter({ hasText: /^.*void/ })).not.toHaveCount(0);
  await expect(timeline.locator('li[data-kind="status"]').filter({ hasText: /succeeded → (reversed|refunded)/ })).toHaveCount(1);

  // The second void: refused with the reason, nothing changes, and the dialog stays open to go back.
  await stale.getByTestId('void-start').click();
  await stale.getByTestId('pin-input').fill('1234');
  await stale.getByTestId('pin-submit').click();
  await expect(stale.getByTestId('pin-error')).toContainText(/only a paid payment without refunds can be voided/i);
  await stale.getByTestId('pin-cancel').click();
  await page.getByTestId('detail-back').click();
  await page.getByTestId('history-row').click();
  await expect(page.getByTestId('detail-status')).toHaveText(/reversed|refunded/);
  await expect(timeline.locator('li[data-kind="status"]').filter({ hasText: /→ (reversed|refunded)/ })).toHaveCount(1);
});
