// What the Sale screen and the status bar say in each connection state (issue 12): online, browser offline,
// and proxy unreachable. The "saved store settings" banner must go as soon as the proxy answers again — it
// once stayed up while the bar said Online and payments went through.
import { expect, test, type Page } from '@playwright/test';
import { pairKiosk, ringUpOpenAmount } from './helpers';
import { alipayTestCode, enterCode, waitForServiceWorkerControl } from './offline-helpers';

const banner = (page: Page) => page.getByTestId('saved-settings-banner');

async function payOnce(page: Page): Promise<void> {
  await ringUpOpenAmount(page, 250);
  await page.getByTestId('pay-wallet').click();
  await enterCode(page, alipayTestCode('0001'));
  await expect(page.getByTestId('paid-banner')).toBeVisible();
}

test('browser offline at start: the banner shows, then goes when the network is back, and a payment succeeds', async ({
  page,
  context,
}) => {
  await pairKiosk(page);
  await waitForServiceWorkerControl(page);
  await expect(page.getByTestId('conn-status')).toHaveText('Online');
  await expect(banner(page)).toHaveCount(0);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('conn-status')).toHaveText('Offline');
  await expect(banner(page)).toHaveText(/Working from saved store settings/);

  await context.setOffline(false);
  await expect(page.getByTestId('conn-status')).toHaveText('Online');
  await expect(banner(page)).toHaveCount(0);
  await payOnce(page);
});

test('proxy unreachable at start: the bar and the banner say so, and both clear when the proxy answers', async ({ page, context }) => {
  await pairKiosk(page);
  await waitForServiceWorkerControl(page);

  // The network is up but nothing from the proxy answers (its process is down, or a firewall). The context, not
  // the page, so the service worker's own fetches are refused too.
  const unreachable = /\/(healthz|api\/)/;
  await context.route(unreachable, (route) => route.abort('connectionrefused'));
  await page.reload();
  await expect(page.getByTestId('conn-status')).toHaveText('Proxy unreachable');
  await expect(banner(page)).toHaveText(/Working from saved store settings/);
  await expect(page.getByTestId('pay-wallet')).toBeDisabled();

  await context.unroute(unreachable);
  await expect(page.getByTestId('conn-status')).toHaveText('Online', { timeout: 15_000 });
  await expect(banner(page)).toHaveCount(0);
  await payOnce(page);
});
