import { test, expect, chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { writeY4m } from '../helpers/y4m';
import { issueWalletCode, newPairingPath, ringUpOpenAmount, scannerType, waitForPendingCharge } from './helpers';

// Chromium's fake camera plays a .y4m file: each test films the wallet's code, as a phone held up to the tablet.
async function launchWithCamera(y4mPath: string) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${y4mPath}`],
  });
}

for (const symbology of ['qr', 'code128'] as const) {
  test(`camera reads the wallet's ${symbology} code → Paid`, async ({ request, baseURL }) => {
    const { code } = await issueWalletCode(request, 'alipay');
    mkdirSync('.test-tmp', { recursive: true });
    const file = resolve('.test-tmp', `wallet-${symbology}.y4m`);
    writeY4m(file, { text: code, symbology });

    const browser = await launchWithCamera(file);
    try {
      const page = await browser.newPage({ baseURL, viewport: { width: 1280, height: 800 } });
      await page.goto(newPairingPath());
      await ringUpOpenAmount(page, 2000);
      await page.getByTestId('pay-wallet').click();
      await expect(page.getByTestId('camera-video')).toBeVisible();
      await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i, { timeout: 15_000 });
      const txn = await waitForPendingCharge(request, code);
      await request.post(`/sim/pockyt/control/transactions/${txn}/approve`);
      await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 3_000 });
      await expect(page.getByTestId('receipt-txn')).toHaveText(new RegExp(txn));
    } finally {
      await browser.close();
    }
  });
}

test('scanner diagnostics show the camera decode with symbology and engine, and wedge bursts', async ({ baseURL }) => {
  const text = '286500000000001234';
  const file = resolve('.test-tmp', 'diag.y4m');
  mkdirSync('.test-tmp', { recursive: true });
  writeY4m(file, { text, symbology: 'qr' });
  const browser = await launchWithCamera(file);
  try {
    const page = await browser.newPage({ baseURL });
    await page.goto(newPairingPath());
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('open-diagnostics').click();
    await expect(page.getByTestId('scan-result')).toHaveText(text, { timeout: 15_000 });
    await expect(page.getByTestId('scan-log').first()).toContainText(/QR/i);
    await expect(page.getByTestId('diag-engine')).toHaveText(/native|zxing/i);

    await scannerType(page, '9876543210987');
    await expect(page.getByTestId('scan-result')).toHaveText('9876543210987');
  } finally {
    await browser.close();
  }
});
