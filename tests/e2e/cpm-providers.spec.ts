import { test, expect, chromium, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { writeY4m } from '../helpers/y4m';
import { issueWalletCode, ringUpOpenAmount, waitForPendingCharge } from './helpers';
import { cashierChooses, newPairingPathFor, pairKioskAt, wedgeScanTaken, type DemoStore } from './store-helpers';

// Customer-presented codes of the new providers, scanned like any wallet code and routed by the store's table:
// Centrapay patron codes at the NZ café, PayBy authCodes at the Dubai shop. The wallet's code comes from the
// simulator's control route (what /wallet shows), the charge is approved there like the customer would.

type Wallet = 'centrapay' | 'payby';

/** The Pay screen starts the camera as it opens; on a loaded machine that start can stall the main thread
 *  long enough to split a wedge burst. A cashier scans after the screen is up, so the test does too. */
async function scannerSettled(page: Page): Promise<void> {
  await expect(page.getByTestId('camera-video')).toBeVisible();
  await page.waitForTimeout(500);
}

interface Case {
  wallet: Wallet;
  store: DemoStore;
  label: RegExp;
  amount: RegExp;
}

const CASES: Case[] = [
  { wallet: 'centrapay', store: 'demo-nz', label: /Centrapay/, amount: /\$12\.50/ },
  { wallet: 'payby', store: 'demo-ae', label: /PayBy/, amount: /AED\s12\.50/ },
];

async function issueCode(request: APIRequestContext, wallet: Wallet): Promise<string> {
  const res = await request.post(`/sim/${wallet}/control/codes`, { data: {} });
  expect(res.ok(), await res.text()).toBeTruthy();
  return ((await res.json()) as { code: string }).code;
}

/** Waits until the simulator holds a charge for the code that waits on the customer, then approves it. */
async function approveCharge(request: APIRequestContext, wallet: Wallet, code: string): Promise<string> {
  let id = '';
  await expect
    .poll(
      async () => {
        const s = (await (await request.get(`/sim/${wallet}/control/codes/${code}`)).json()) as {
          request?: { id: string; status: string };
          transaction?: { orderNo: string; status: string };
        };
        if (wallet === 'centrapay') {
          id = s.request?.id ?? '';
          return s.request?.status;
        }
        id = s.transaction?.orderNo ?? '';
        return s.transaction?.status;
      },
      { timeout: 10_000 },
    )
    .toBe(wallet === 'centrapay' ? 'new' : 'CREATED');
  const path = wallet === 'centrapay' ? `/sim/centrapay/control/requests/${id}/approve` : `/sim/payby/control/orders/${id}/approve`;
  const res = await request.post(path);
  expect(res.ok(), await res.text()).toBeTruthy();
  return id;
}

for (const c of CASES) {
  test(`${c.wallet} code through the keyboard wedge at ${c.store} → Paid`, async ({ page, request }) => {
    await pairKioskAt(page, c.store);
    await ringUpOpenAmount(page, 1250);
    await page.getByTestId('pay-wallet').click();
    await expect(page.getByTestId('pay-amount')).toHaveText(c.amount);
    // One wallet at this store: nothing to override.
    await expect(page.getByTestId('pay-override')).toHaveCount(0);

    const code = await issueCode(request, c.wallet);
    await scannerSettled(page);
    await wedgeScanTaken(page, code);
    await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);
    await expect(page.getByTestId('pay-wallet-guess')).toHaveText(c.label);
    const ref = await approveCharge(request, c.wallet, code);
    await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 3_000 });
    await expect(page.getByTestId('receipt-wallet')).toHaveText(c.label);
    await expect(page.getByTestId('receipt-amount')).toHaveText(c.amount);
    await expect(page.getByTestId('receipt-txn')).toContainText(ref);
  });
}

const CAMERA: { wallet: Wallet; store: DemoStore; symbology: 'qr' | 'code128' }[] = [
  { wallet: 'payby', store: 'demo-ae', symbology: 'code128' },
  { wallet: 'centrapay', store: 'demo-nz', symbology: 'qr' },
];

for (const c of CAMERA) {
  test(`${c.wallet} code filmed by the camera (${c.symbology}) at ${c.store} → Paid`, async ({ request, baseURL }) => {
    const code = await issueCode(request, c.wallet);
    mkdirSync('.test-tmp', { recursive: true });
    const file = resolve('.test-tmp', `cpm-${c.wallet}-${process.pid}.y4m`);
    writeY4m(file, { text: code, symbology: c.symbology });
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${file}`],
    });
    try {
      const page = await browser.newPage({ baseURL, viewport: { width: 1280, height: 800 } });
      await cashierChooses(page, 'en');
      await page.goto(newPairingPathFor(c.store));
      await ringUpOpenAmount(page, 990);
      await page.getByTestId('pay-wallet').click();
      await expect(page.getByTestId('camera-video')).toBeVisible();
      await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i, { timeout: 15_000 });
      await approveCharge(request, c.wallet, code);
      await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 3_000 });
      await expect(page.getByTestId('receipt-wallet')).toHaveText(c.wallet === 'payby' ? /PayBy/ : /Centrapay/);
    } finally {
      await browser.close();
    }
  });
}

test('cashier override: "Not Alipay?" → WeChat Pay is sent as such (the proxy refuses the mismatch), then the code pays', async ({
  page,
  request,
}) => {
  await pairKioskAt(page, 'demo-us');
  await ringUpOpenAmount(page, 450);
  await page.getByTestId('pay-wallet').click();
  const override = page.getByTestId('pay-override');
  await expect(override).toBeEnabled();
  await override.selectOption('wechatpay');

  const { code } = await issueWalletCode(request, 'alipay');
  await scannerSettled(page);
  await wedgeScanTaken(page, code);
  // Sent with vendor wechatpay + provider pockyt: the proxy says the code is not a WeChat Pay code.
  await expect(page.getByTestId('pay-error')).toHaveText('This is an Alipay code, not WeChat Pay.');
  await expect(page.getByTestId('pay-wallet-guess')).toHaveText('Alipay');
  await expect(override).toBeEnabled();

  // Back to "as the code says"; the refused code was never charged, so it may be tried again.
  await override.selectOption('alipay');
  await page.getByTestId('pay-retry').click();
  await wedgeScanTaken(page, code);
  await expect(page.getByTestId('pay-status')).toHaveText(/confirm in their wallet/i);
  await expect(override).toBeDisabled(); // no changing the wallet of a charge in flight
  const txn = await waitForPendingCharge(request, code);
  await request.post(`/sim/pockyt/control/transactions/${txn}/approve`);
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 3_000 });
  await expect(page.getByTestId('receipt-wallet')).toHaveText(/Alipay/);
});
