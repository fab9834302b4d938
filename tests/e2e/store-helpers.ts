// E2E helpers for the three demo stores (demo-us Pockyt, demo-nz Centrapay, demo-ae PayBy), merchant QRs
// read from screenshots, the wallet page paying them, and the customer display.
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { pairingPathFromCli, wedgeScan } from './helpers';

export type DemoStore = 'demo-us' | 'demo-nz' | 'demo-ae';

/** A one-time pairing link for a store, made like an admin does: `npm run pair -- --store <id>`. */
export function newPairingPathFor(store: DemoStore): string {
  return pairingPathFromCli(['--store', store]);
}

/** Most suites read the kiosk's English texts: the cashier's choice (Settings → Language) beats the store's
 *  default language (Arabic in Dubai). tests/e2e/i18n.spec.ts and the screen tours cover the other languages. */
export async function cashierChooses(page: Page, language: string): Promise<void> {
  await page.addInitScript((l) => localStorage.setItem('kiosk.language', l), language);
}

export async function pairKioskAt(page: Page, store: DemoStore, language = 'en'): Promise<void> {
  await cashierChooses(page, language);
  await page.goto(newPairingPathFor(store));
  await expect(page.getByTestId('pay-wallet')).toBeVisible();
}

let zxing: Promise<unknown> | undefined;

/** Every valid QR ZXing finds in a screenshot of `el`: proves what is on screen is scannable. */
export async function decodeQrScreenshot(el: Locator): Promise<string[]> {
  const wasm = readFileSync('node_modules/zxing-wasm/dist/reader/zxing_reader.wasm');
  zxing ??= prepareZXingModule({
    overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
    fireImmediately: true,
  });
  await zxing;
  const results = await readBarcodes(new Uint8Array(await el.screenshot()), { formats: ['QRCode'] });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

/** Reads the kiosk's QR from a screenshot and checks it is the payload the element says it draws. */
export async function scanKioskQr(el: Locator): Promise<string> {
  await expect(el).toBeVisible();
  const payload = await el.getAttribute('data-payload');
  expect(payload, 'the QR element carries its payload').toBeTruthy();
  expect(await decodeQrScreenshot(el)).toEqual([payload]);
  return payload!;
}

/** The customer's phone: the wallet page with a merchant QR pasted in, showing what it asks to pay. */
export async function openQrOnWallet(context: BrowserContext, payload: string): Promise<Page> {
  const phone = await context.newPage();
  await phone.goto('/wallet');
  const input = phone.getByTestId('wallet-qr-input');
  if (!(await input.isVisible())) await phone.getByText('Scan a merchant QR').click();
  await input.fill(payload);
  await phone.getByTestId('wallet-qr-submit').click();
  return phone;
}

/** Pays a merchant QR on the wallet page (the customer taps Pay). */
export async function payQrOnWallet(context: BrowserContext, payload: string, amount: RegExp): Promise<Page> {
  const phone = await openQrOnWallet(context, payload);
  await expect(phone.getByTestId('wallet-mpm-amount')).toHaveText(amount);
  await phone.getByTestId('wallet-mpm-pay').click();
  await expect(phone.getByTestId('wallet-mpm-status')).toHaveText('Paid');
  return phone;
}

/** The customer-facing display in a second window of the same browser (same BroadcastChannel). */
export async function openDisplay(context: BrowserContext): Promise<Page> {
  const display = await context.newPage();
  await display.goto('/display');
  return display;
}

/** The kiosk's terminal token (to act as this terminal from the test, e.g. open a payment behind its back). */
export async function kioskToken(page: Page): Promise<string> {
  const token = await page.evaluate(() => localStorage.getItem('kiosk.token'));
  if (!token) throw new Error('kiosk is not paired');
  return token;
}

/** Scans with the wedge once and waits until the kiosk took the code (the status moved on: sending,
 *  pending, declined…). A scan the kiosk did not take is a failure, not something to scan again. */
export async function wedgeScanTaken(page: Page, code: string): Promise<void> {
  await wedgeScan(page, code);
  await expect(page.getByTestId('pay-status')).not.toHaveText("Scan the customer's payment code", { timeout: 5_000 });
}

/** Taps catalogue items by sku (each once). */
export async function addItems(page: Page, ...skus: string[]): Promise<void> {
  for (const sku of skus) await page.getByTestId(`item-${sku}`).click();
}
