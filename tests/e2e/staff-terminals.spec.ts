import { test, expect, type Page } from '@playwright/test';
import SQLite from 'better-sqlite3';
import { pairKiosk, ringUpOpenAmount, wedgeScan } from './helpers';
import { E2E_DB } from '../../playwright.config';

// Demo PINs that `npm start` (server/main.ts) sets up: the e2e server is started the same way.
const CASHIER = '1111';
const MANAGER = '9999';

const terminalIdOf = (page: Page) => page.evaluate(() => localStorage.getItem('kiosk.terminalId'));

function staffOfLatestSale(terminalId: string): string | null {
  const db = new SQLite(E2E_DB, { readonly: true });
  try {
    const row = db.prepare('select staff_id from payments where terminal_id = ? order by created_at desc limit 1').get(terminalId) as
      { staff_id: string | null } | undefined;
    return row?.staff_id ?? null;
  } finally {
    db.close();
  }
}

test('a cashier signs in with their own PIN, sells (the sale records them) and signs out', async ({ page }) => {
  await pairKiosk(page);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sign-in-pin').fill('2000');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-in-error')).toHaveText(/wrong pin/i);
  await page.getByTestId('sign-in-pin').fill(CASHIER);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(/Signed in as Cashier/);

  await ringUpOpenAmount(page, 725);
  await page.getByTestId('pay-wallet').click();
  await wedgeScan(page, `28${String(Date.now()).slice(-12)}0001`);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 10_000 });
  expect(staffOfLatestSale((await terminalIdOf(page))!)).toBe('env:cashier');

  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('sign-in')).toBeVisible();
  // Signed out on the proxy too: a reload still shows nobody.
  await page.reload();
  await expect(page.getByTestId('sign-in')).toBeVisible();
});

test('a manager unpairs another tablet from Settings → Tablets; that tablet shows "This tablet was unpaired" and the way back', async ({
  browser,
}) => {
  const managerCtx = await browser.newContext();
  const tabletCtx = await browser.newContext();
  const manager = await managerCtx.newPage();
  const tablet = await tabletCtx.newPage();
  try {
    await pairKiosk(tablet);
    const victim = (await terminalIdOf(tablet))!;
    await pairKiosk(manager);

    await manager.getByTestId('nav-settings').click();
    await manager.getByTestId('terminals-admin-open').click();
    await manager.getByTestId('terminals-admin-pin').fill(MANAGER);
    await manager.getByTestId('terminals-admin-pin-submit').click();
    const row = manager.locator(`[data-testid="terminal-row"][data-terminal-id="${victim}"]`);
    await expect(row).toContainText(/last seen/);
    await row.getByTestId('terminal-revoke').click();
    await row.getByTestId('terminal-revoke-confirm').click();
    await expect(row).toContainText(/unpaired/);

    // The revoked tablet learns at once (its event stream is closed and refused) and offers pairing again.
    await expect(tablet.getByText('This tablet was unpaired')).toBeVisible({ timeout: 10_000 });
    await expect(tablet.getByTestId('pair-code-input')).toBeVisible();
  } finally {
    await managerCtx.close();
    await tabletCtx.close();
  }
});

test('a signed-in manager adds a cashier in Settings → Staff, who then signs in with their own PIN', async ({ page }) => {
  await pairKiosk(page);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sign-in-pin').fill(MANAGER);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(/Manager/);

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('staff-admin-open').click();
  // A manager is signed in: no PIN is asked for.
  await expect(page.getByTestId('staff-admin-pin')).toHaveCount(0);
  const name = `Ana ${Date.now() % 100_000}`;
  const pin = String(30_000_000 + (Date.now() % 1_000_000));
  await page.getByTestId('staff-add-name').fill(name);
  await page.getByTestId('staff-add-role').selectOption('cashier');
  await page.getByTestId('staff-add-pin').fill(pin);
  await page.getByTestId('staff-add').click();
  await expect(page.getByTestId('staff-row').filter({ hasText: name })).toBeVisible();

  await page.getByTestId('sign-out').click();
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sign-in-pin').fill(pin);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(new RegExp(`Signed in as ${name}`));
});
