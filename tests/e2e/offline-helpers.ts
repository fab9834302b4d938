// Helpers for the offline and recovery specs: service-worker control, the terminal token, and the proxy's
// view of orders and payments (read through the API with the tablet's own token, as the kiosk would).
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { ringUpOpenAmount } from './helpers';

export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);
}

export async function terminalToken(page: Page): Promise<string> {
  const token = await page.evaluate(() => localStorage.getItem('kiosk.token'));
  expect(token, 'the kiosk is paired').toBeTruthy();
  return token!;
}

/** The order id of the sale on screen (the cart survives reloads in localStorage). */
export async function currentOrderId(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem('kiosk.sale') ?? '{}') as { orderId: string }).orderId);
}

export interface ServerOrder {
  id: string;
  status: string;
  total: { value: number; currency: string };
}

export async function serverOrders(request: APIRequestContext, token: string): Promise<ServerOrder[]> {
  const res = await request.get('/api/orders?limit=500', { headers: { Authorization: `Bearer ${token}` } });
  expect(res.ok(), await res.text()).toBeTruthy();
  return ((await res.json()) as { orders: ServerOrder[] }).orders;
}

export async function serverPayments(request: APIRequestContext, token: string, orderId: string) {
  const res = await request.get(`/api/payments?orderId=${encodeURIComponent(orderId)}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.ok(), await res.text()).toBeTruthy();
  return ((await res.json()) as { payments: { id: string; status: string; amount: { value: number } }[] }).payments;
}

/** Rings up an open amount and presses "Queue order" (network down): the cart empties for the next sale. */
export async function queueOpenAmount(page: Page, minor: number): Promise<void> {
  await ringUpOpenAmount(page, minor);
  await page.getByTestId('queue-order').click();
  await expect(page.getByTestId('cart-total')).toHaveText(/\$0\.00/);
}

/** A sandbox Alipay code ending in `suffix` (0001 = instant success), fresh digits so no two tests share one. */
export function alipayTestCode(suffix: string): string {
  const mid = String(Math.floor(Math.random() * 1e12)).padStart(12, '0');
  return `28${mid}${suffix}`;
}

/**
 * Types the customer's code into the Pay screen's manual entry. These specs are about recovery, not scanning:
 * unlike a timed wedge burst, this cannot be split by a busy machine (wedge-sale.spec.ts covers the scanner).
 */
export async function enterCode(page: Page, code: string): Promise<void> {
  await page.getByTestId('manual-open').click();
  await page.getByTestId('manual-code-input').fill(code);
  await page.getByTestId('manual-code-submit').click();
}
