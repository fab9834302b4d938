// Till hardware wiring in Chromium, against scripted stand-ins for navigator.usb / serial / hid / bluetooth that
// the test injects (hardware-standins.ts): connect in Settings, print, paper out, HID and serial scanners paying
// a sale (a serial one with AIM identifiers, its read split in two), the serial speed chosen in Settings, a
// Bluetooth printer.
import { expect, test, type Page } from '@playwright/test';
import { pairKiosk, ringUpOpenAmount, scannerType } from './helpers';
import {
  bluetoothBytes,
  hidScan,
  installHardwareStandIns,
  pickSerialPort,
  printedJobs,
  serialChunks,
  serialOpens,
  serialScan,
  serialScannerCable,
  setPaperOut,
  usbCable,
} from './hardware-standins';

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
  await scannerType(page, payingCode());
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
  await scannerType(page, payingCode());
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
  // The stand-in printer runs at 38400 baud; at the default 9600 it would print garbage and never answer.
  await page.getByTestId('printer-baud').selectOption('38400');
  await page.getByTestId('printer-connect-serial').click();
  await expect(page.getByTestId('printer-device')).toContainText('serial');
  expect(await serialOpens(page)).toEqual([{ port: 'printer', baudRate: 38400 }]);
  // Enabled only once the printer has answered its status request as ready.
  await expect(page.getByTestId('printer-test')).toBeEnabled();
  await page.getByTestId('nav-sale').click();
  await ringUpOpenAmount(page, 500);
  await page.getByTestId('pay-wallet').click();
  await scannerType(page, payingCode());
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

test('a serial scanner at the speed chosen in Settings pays a sale; Diagnostics shows its speed and symbology', async ({ page }) => {
  await page.getByTestId('nav-settings').click();
  // The stand-in scanner runs at 19200 baud: set before connecting, as the cashier reads it off the scanner.
  await page.getByTestId('scanner-baud').selectOption('19200');
  await pickSerialPort(page, 'scanner');
  await page.getByTestId('scanner-connect-serial').click();
  await expect(page.getByTestId('scanner-status')).toHaveText(/Ready/);
  await expect(page.getByTestId('scanner-device')).toContainText('serial');
  expect(await serialOpens(page)).toEqual([{ port: 'scanner', baudRate: 19200 }]);

  await page.getByTestId('nav-sale').click();
  await ringUpOpenAmount(page, 640);
  await page.getByTestId('pay-wallet').click();
  await expect(page.getByTestId('pay-amount')).toHaveText(/\$6\.40/);
  await serialScan(page, payingCode());
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  await expect(page.getByTestId('receipt-amount')).toHaveText(/\$6\.40/);

  // Remembered: after a reload the kiosk reopens the port by itself, at the same speed.
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('scanner-status')).toHaveText(/Ready/);
  await expect(page.getByTestId('scanner-baud')).toHaveValue('19200');
  expect(await serialOpens(page)).toEqual([{ port: 'scanner', baudRate: 19200 }]);
  await page.getByTestId('open-diagnostics').click();
  await expect(page.getByTestId('diag-scanner')).toContainText('serial, 19200 baud');
  // This scanner sends only the text (no AIM identifier): the symbology is guessed from it (a URL: a QR code).
  const code = `https://example.test/r/${Date.now()}`;
  await serialScan(page, code);
  await expect(page.getByTestId('scan-log-row').first()).toContainText(code);
  await expect(page.getByTestId('scan-log-row').first()).toContainText('QRCode');
  await expect(page.getByTestId('scan-log-row').first()).toContainText('serial');
  await expect(page.getByTestId('diag-scanner-last')).toContainText(`${code} (QRCode)`);

  // Another speed reopens the port at once; against the scanner's 19200 its reads are garbage, not the code.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('scanner-baud').selectOption('9600');
  await expect
    .poll(() => serialOpens(page))
    .toEqual([
      { port: 'scanner', baudRate: 19200 },
      { port: 'scanner', baudRate: 9600 },
    ]);
  await expect(page.getByTestId('scanner-status')).toHaveText(/Ready/);
  const wrong = payingCode();
  await serialScan(page, wrong);
  await expect(page.getByTestId('scanner-last')).not.toContainText(code);
  await expect(page.getByTestId('scanner-last')).not.toContainText(wrong);
  await expect(page.getByTestId('scanner-last')).toContainText("not a code (19 bytes): check the scanner's serial speed");
});

test('a serial scanner with AIM identifiers on pays with exactly the wallet code, names the symbology, and comes back after unplugging', async ({
  page,
}) => {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('scanner-baud').selectOption('19200');
  await pickSerialPort(page, 'scanner');
  await page.getByTestId('scanner-connect-serial').click();
  await expect(page.getByTestId('scanner-status')).toHaveText(/Ready/);

  await page.getByTestId('nav-sale').click();
  await ringUpOpenAmount(page, 415);
  await page.getByTestId('pay-wallet').click();
  await expect(page.getByTestId('pay-amount')).toHaveText(/\$4\.15/);
  // "]Q1" (QR code, model 2) + the code + CR, delivered by the USB-serial adapter in two pieces.
  const code = payingCode();
  const charged = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/payments');
  await serialChunks(page, [`]Q1${code.slice(0, 7)}`, `${code.slice(7)}\r`]);
  expect(((await charged).postDataJSON() as { code?: string }).code).toBe(code);
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  await expect(page.getByTestId('receipt-amount')).toHaveText(/\$4\.15/);

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('scanner-last')).toHaveText(`Last scan: ${code} (QRCode)`);
  await page.getByTestId('open-diagnostics').click();
  await expect(page.getByTestId('diag-scanner')).toContainText('serial, 19200 baud');
  const product = ']C0OK0000000001';
  await serialChunks(page, [product.slice(0, 2), `${product.slice(2)}\r\n`]);
  await expect(page.getByTestId('scan-log-row').first()).toContainText('OK0000000001');
  await expect(page.getByTestId('scan-log-row').first()).not.toContainText(']C0');
  await expect(page.getByTestId('scan-log-row').first()).toContainText('Code128');
  await expect(page.getByTestId('diag-scanner-last')).toContainText('OK0000000001 (Code128)');

  // Unplugged: the read fails, the port is closed and the cashier is told; plugged back in: reopened, no click.
  await serialScannerCable(page, 'disconnect');
  await expect(page.getByTestId('diag-scanner')).toContainText('Scanner disconnected');
  await serialScannerCable(page, 'connect');
  await expect(page.getByTestId('diag-scanner')).toContainText('Ready');
  expect(await serialOpens(page)).toEqual([
    { port: 'scanner', baudRate: 19200 },
    { port: 'scanner', baudRate: 19200 },
  ]);
  await serialScan(page, ']E04006381333931');
  await expect(page.getByTestId('diag-scanner-last')).toContainText('4006381333931 (EAN-13)');
});

test('a Bluetooth printer prints the receipt: its ESC/POS bytes arrive at the print characteristic, status shown', async ({ page }) => {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('printer-connect-bluetooth').click();
  await expect(page.getByTestId('printer-device')).toContainText('TM-P20II (stand-in)');
  await expect(page.getByTestId('printer-device')).toContainText('bluetooth');
  // Ready only once the printer answered DLE EOT through its status characteristic.
  await expect(page.getByTestId('printer-status')).toHaveText(/Ready/);

  await page.getByTestId('nav-sale').click();
  await ringUpOpenAmount(page, 990);
  await page.getByTestId('pay-wallet').click();
  await scannerType(page, payingCode());
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  const receiptNo = await page.getByTestId('receipt-number').innerText();
  await page.getByTestId('receipt-print').click();

  await expect.poll(async () => contains(await bluetoothBytes(page), CUT)).toBe(true);
  const bytes = await bluetoothBytes(page);
  expect(bytes.slice(0, 2)).toEqual([0x1b, 0x40]);
  expect(contains(bytes, ascii(receiptNo))).toBe(true);
  expect(contains(bytes, ascii('$9.90'))).toBe(true);
  expect(contains(bytes, GS_QR_PRINT)).toBe(true);
  expect(contains(bytes, ascii(`${new URL(page.url()).origin}/r/`))).toBe(true);

  // Out of paper, as the printer reports it over Bluetooth: the cashier is told and nothing more is sent.
  await page.getByTestId('nav-settings').click();
  await setPaperOut(page, true);
  const sent = bytes.length;
  await page.getByTestId('printer-test').click();
  await expect(page.getByTestId('printer-status')).toHaveText(/Out of paper/);
  await expect(page.getByTestId('printer-status')).toHaveAttribute('role', 'alert');
  expect(await bluetoothBytes(page)).toHaveLength(sent);
  await page.getByTestId('open-diagnostics').click();
  await expect(page.getByTestId('diag-printer')).toContainText('TM-P20II (stand-in) (bluetooth, 80 mm)');
  await expect(page.getByTestId('diag-printer')).toContainText('Out of paper');
});
