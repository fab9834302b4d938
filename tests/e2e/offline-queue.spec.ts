// Issue 5 §3-5: with the network down the cashier queues orders; they wait with a visible count, reach the
// proxy exactly once each when the network returns (even with a second kiosk tab open during the flush), and
// a reopened order paid with a wallet code leaves the queue with exactly one payment at the proxy.
import { expect, test, type Request } from '@playwright/test';
import { pairKiosk, ringUpOpenAmount } from './helpers';
import {
  alipayTestCode,
  enterCode,
  queueOpenAmount,
  serverOrders,
  serverPayments,
  terminalToken,
  waitForServiceWorkerControl,
} from './offline-helpers';

test('three orders queued offline upload exactly once each when back online, with a second tab open', async ({
  page,
  context,
  request,
}) => {
  await pairKiosk(page);
  await waitForServiceWorkerControl(page);
  const token = await terminalToken(page);
  await expect(page.getByTestId('conn-status')).toHaveText('Online');

  await context.setOffline(true);
  await expect(page.getByTestId('conn-status')).toHaveText('Offline');
  await ringUpOpenAmount(page, 1100);
  await expect(page.getByTestId('pay-wallet')).toBeDisabled();
  await page.getByTestId('queue-order').click();
  await expect(page.getByTestId('cart-total')).toHaveText(/\$0\.00/);
  await queueOpenAmount(page, 2200);
  await queueOpenAmount(page, 3300);
  await expect(page.getByTestId('orders-badge')).toHaveText('3');

  await page.getByTestId('nav-orders').click();
  const rows = page.getByTestId('order-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.getByTestId('order-status')).toHaveText(['Queued', 'Queued', 'Queued']);
  await expect(rows.getByTestId('order-total')).toHaveText(['$11.00', '$22.00', '$33.00']);
  await expect(rows.first().getByTestId('order-upload')).toHaveText(/this tablet only/);
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-order-id')!));

  // A second kiosk tab, started offline from the service worker, sees the same queue.
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('orders-badge')).toHaveText('3');

  const posts: string[] = [];
  const count = (r: Request) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/orders' && !r.serviceWorker()) {
      posts.push((JSON.parse(r.postData() ?? '{}') as { id: string }).id);
    }
  };
  context.on('request', count);
  await context.setOffline(false);

  await expect.poll(async () => (await serverOrders(request, token)).filter((o) => ids.includes(o.id)).length, { timeout: 15_000 }).toBe(3);
  await expect(rows.first().getByTestId('order-upload')).toHaveText(/On the server/);
  // Both tabs noticed the network (each has its own queue runner); let any late duplicate show up.
  await page.waitForTimeout(2_500);
  context.off('request', count);
  expect(posts.sort()).toEqual([...ids].sort());

  const onServer = (await serverOrders(request, token)).filter((o) => ids.includes(o.id));
  expect(onServer.map((o) => [o.status, o.total.value]).sort()).toEqual([
    ['queued', 1100],
    ['queued', 2200],
    ['queued', 3300],
  ]);
  // Uploaded orders still wait for payment: the badge counts them until they are paid.
  await expect(page.getByTestId('orders-badge')).toHaveText('3');
  await expect(second.getByTestId('orders-badge')).toHaveText('3');
});

test('a queued order reopened, edited and paid with a wallet code leaves the queue; the proxy has one payment', async ({
  page,
  context,
  request,
}) => {
  await pairKiosk(page);
  await waitForServiceWorkerControl(page);
  const token = await terminalToken(page);
  await context.setOffline(true);
  await queueOpenAmount(page, 1250);
  await queueOpenAmount(page, 400);
  await context.setOffline(false);
  await expect(page.getByTestId('conn-status')).toHaveText('Online', { timeout: 15_000 });

  // Something else is on the cart when staff reopen the order: it is parked, not lost.
  await ringUpOpenAmount(page, 999);
  await page.getByTestId('nav-orders').click();
  const first = page.getByTestId('order-row').first();
  const orderId = (await first.getAttribute('data-order-id'))!;
  await first.getByTestId('order-reopen').click();
  await expect(page.getByTestId('cart-total')).toHaveText(/\$12\.50/);
  await expect(page.getByTestId('orders-badge')).toHaveText('3');

  // Edit it (one more line), then take payment with a sandbox code that succeeds at once.
  await ringUpOpenAmount(page, 100);
  await expect(page.getByTestId('cart-total')).toHaveText(/\$13\.50/);
  await page.getByTestId('pay-wallet').click();
  await enterCode(page, alipayTestCode('0001'));
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('receipt-amount')).toHaveText(/\$13\.50/);
  await page.getByTestId('new-sale').click();

  await page.getByTestId('nav-orders').click();
  await expect(page.getByTestId('order-row')).toHaveCount(2);
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toHaveCount(0);
  await expect(page.getByTestId('order-row').getByTestId('order-status')).toHaveText(['Queued', 'Parked']);
  await expect(page.getByTestId('orders-badge')).toHaveText('2');

  const payments = await serverPayments(request, token, orderId);
  expect(payments.map((p) => [p.status, p.amount.value])).toEqual([['succeeded', 1350]]);
  // The paid state (with the edited lines) reaches the proxy too.
  await expect
    .poll(async () => (await serverOrders(request, token)).find((o) => o.id === orderId)?.status, { timeout: 15_000 })
    .toBe('paid');
  expect((await serverOrders(request, token)).find((o) => o.id === orderId)?.total.value).toBe(1350);
});
