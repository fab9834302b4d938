// Till hardware wiring in Chromium, against scripted stand-ins for navigator.usb / navigator.hid that the
// test injects (hardware-standins.ts): connect in Settings, print, paper out, and a HID scanner paying a sale.
import { expect, test, type Page } from '@playwright/test';
import { pairKiosk, ringUpOpenAmount } from './helpers';
import { hidScan, installHardwareStandIns, printedJobs, setPaperOut, usbCable } from './hardware-standins';

const GS_QR_PRINT = [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30];
const GS_QR_STORE = [0x1d, 0x28, 0x6b];
const CUT = [0x1d, 0x56];
const GS_RASTER = [0x1d, 0x76, 0x30, 0x00];

function contains(hay: number[], needle: number[]): boolean {
  outer: for (let i = 0; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

/** A Pockyt Alipay-shaped sandbox code that pays at once (ends 0001), fresh per test. */
function payingCode(): string {
  return `28${String(Date.now()).slice(-12)}0001`;
}

async function connectPrinter(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('printer-connect-usb').click();
  await expect(page.getByTestId('printer-device')).toContainText('TM-T20III (stand-in)');
  await expect(page.getByTestId('printer-status')).toHaveText(/Ready/);
}

test.beforeEach(async ({ page }) => {
  await installHardwareStandIns(page);
  await pairKiosk(page);
});

test('a USB printer is set up in Settings, prints a test page, and is back after a reload without asking', async ({ page }) => {
  await connectPrinter(page);
  await page.getByTestId('printer-width').selectOption('58');
  await page.getByTestId('printer-test').click();
  await expect.poll(async () => (await printedJobs(page)).length).toBe(1);
  const [job] = await printedJobs(page);
  expect(job.slice(0, 2)).toEqual([0x1b, 0x40]);
  expect(contains(job, ascii('PRINTER TEST'))).toBe(true);
  expect(contains(job, ascii('Paper 58 mm, 32 columns'))).toBe(true);
  expect(contains(job, GS_QR_PRINT)).toBe(true);
  expect(contains(job, CUT)).toBe(true);

  // Remembered: the browser still allows the device, the kiosk reconnects at start with the same width.
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('printer-status')).toHaveText(/Ready/);
  await expect(page.getByTestId('printer-width')).toHaveValue('58');

  // Unplugged: the cashier is told; plugged back in: reconnected with no click.
  await usbCable(page, 'disconnect');
  await expect(page.getByTestId('printer-status')).toHaveText(/disconnected/);
  await expect(page.getByTestId('printer-status')).toHaveAttribute('role', 'alert');
  await usbCable(page, 'connect');
  await expect(page.getByTestId('printer-status')).toHaveText(/Ready/);
  await page.getByTestId('printer-test').click();
  await expect.poll(async () => (await printedJobs(page)).length).toBe(1);
});

test('auto-print: the receipt comes out of the printer after Paid, with its number and the e-receipt QR', async ({ page }) => {
  await connectPrinter(page);
  await page.getByTestId('printer-autoprint').check();
  await page.getByTestId('nav-sale').click();
  await ringUpOpenAmount(page, 1250);
  await page.getByTestId('pay-wallet').click();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.type(payingCode(), { delay: 10 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  const receiptNo = await page.getByTestId('receipt-number').innerText();
  expect(receiptNo).toMatch(/^\d{8}-\d{4}$/);

  await expect.poll(async () => (await printedJobs(page)).length).toBe(1);
  const [job] = await printedJobs(page);
  expect(contains(job, ascii(receiptNo))).toBe(true);
  expect(contains(job, ascii('$12.50'))).toBe(true);
  expect(contains(job, [...GS_QR_STORE])).toBe(true);
  expect(contains(job, ascii(`${new URL(page.url()).origin}/r/`))).toBe(true);
  expect(contains(job, GS_QR_PRINT)).toBe(true);

  // "Print receipt" again goes to the printer, not the browser's dialog.
  await page.getByTestId('receipt-print').click();
  await expect.poll(async () => (await printedJobs(page)).length).toBe(2);
});

test('printer out of paper: the cashier is told, and nothing is sent', async ({ page }) => {
  await connectPrinter(page);
  await setPaperOut(page, true);
  await page.getByTestId('printer-test').click();
  await expect(page.getByTestId('printer-status')).toHaveText(/Out of paper/);
  await expect(page.getByTestId('printer-status')).toHaveAttribute('role', 'alert');
  expect(await printedJobs(page)).toHaveLength(0);

  await setPaperOut(page, false);
  // The test button stays off while the printer says it cannot print; a new roll is seen on the next job.
  await page.getByTestId('nav-sale').click();
  await ringUpOpenAmount(page, 300);
  await page.getByTestId('pay-wallet').click();
  await page.keyboard.type(payingCode(), { delay: 10 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  await page.getByTestId('receipt-print').click();
  await expect.poll(async () => (await printedJobs(page)).length).toBe(1);
  await expect(page.getByTestId('printer-status')).toHaveText(/Ready/);
});

test('a HID POS scanner set up in Settings pays a sale on the Pay screen', async ({ page }) => {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('scanner-connect-hid').click();
  await expect(page.getByTestId('scanner-device')).toContainText('Honeywell Voyager (stand-in)');
  await expect(page.getByTestId('scanner-status')).toHaveText(/Ready/);

  await page.getByTestId('nav-sale').click();
  await ringUpOpenAmount(page, 875);
  await page.getByTestId('pay-wallet').click();
  await expect(page.getByTestId('pay-amount')).toHaveText(/\$8\.75/);
  await hidScan(page, payingCode());
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  await expect(page.getByTestId('receipt-amount')).toHaveText(/\$8\.75/);

  // Diagnostics lists the read with the symbology the scanner reported.
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('scanner-last')).toContainText('QRCode');
  await page.getByTestId('open-diagnostics').click();
  await expect(page.getByTestId('diag-scanner')).toContainText('Honeywell Voyager (stand-in)');
  const code = payingCode();
  await hidScan(page, code);
  await expect(page.getByTestId('scan-log-row').first()).toContainText(code);
  await expect(page.getByTestId('scan-log-row').first()).toContainText('QRCode');
  await expect(page.getByTestId('scan-log-row').first()).toContainText('hid');
});

test('a serial printer prints the receipt of a Chinese-language kiosk as raster text with a native QR', async ({ page }) => {
  // The cashier's language on this tablet (Settings → Language keeps it in localStorage); the paper follows it.
  await page.evaluate(() => localStorage.setItem('kiosk.language', 'zh-CN'));
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('printer-connect-serial').click();
  await expect(page.getByTestId('printer-device')).toContainText('serial');
  // Enabled only once the printer has answered its status request as ready.
  await expect(page.getByTestId('printer-test')).toBeEnabled();
  await page.getByTestId('nav-sale').click();
  await ringUpOpenAmount(page, 500);
  await page.getByTestId('pay-wallet').click();
  await page.keyboard.type(payingCode(), { delay: 10 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  const receiptNo = await page.getByTestId('receipt-number').innerText();
  await page.getByTestId('receipt-print').click();

  await expect.poll(async () => (await printedJobs(page)).length).toBe(1);
  const [job] = await printedJobs(page);
  expect(contains(job, GS_RASTER)).toBe(true);
  expect(contains(job, GS_QR_PRINT)).toBe(true);
  expect(contains(job, ascii(`${new URL(page.url()).origin}/r/`))).toBe(true);
  // The labels and the receipt number are pixels, not code-page text (which would be "?" for each character).
  expect(contains(job, ascii(receiptNo))).toBe(false);
  expect(contains(job, ascii('??'))).toBe(false);
});
