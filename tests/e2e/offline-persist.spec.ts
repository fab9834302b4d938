// Issue 5: "Browser closed and reopened (new page, same storage): queued orders are still there." A real
// browser profile on disk (launchPersistentContext): queue orders offline, close the browser, start it again
// with the same profile and still no network — the queue, its badge and its lines are all there.
import { chromium, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_PORT } from '../../playwright.config';
import { newPairingPath } from './helpers';
import { queueOpenAmount, waitForServiceWorkerControl } from './offline-helpers';

test('queued orders survive closing and reopening the browser (same profile, still offline)', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'kiosk-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      baseURL: `http://127.0.0.1:${E2E_PORT}`,
      viewport: { width: 1280, height: 800 },
    });
  try {
    let ctx = await launch();
    let page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(newPairingPath());
    await expect(page.getByTestId('pay-wallet')).toBeVisible();
    await waitForServiceWorkerControl(page);
    await ctx.setOffline(true);
    await queueOpenAmount(page, 1500);
    await queueOpenAmount(page, 275);
    await expect(page.getByTestId('orders-badge')).toHaveText('2');
    await ctx.close();

    ctx = await launch();
    await ctx.setOffline(true);
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto('/');
    await expect(page.getByTestId('conn-status')).toHaveText('Offline');
    await expect(page.getByTestId('orders-badge')).toHaveText('2');
    await page.getByTestId('nav-orders').click();
    await expect(page.getByTestId('order-row').getByTestId('order-total')).toHaveText(['$15.00', '$2.75']);
    await expect(page.getByTestId('order-row').getByTestId('order-status')).toHaveText(['Queued', 'Queued']);
    await ctx.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
