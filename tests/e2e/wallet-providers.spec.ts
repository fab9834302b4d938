import { test, expect, type Locator, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { rawCentrapayCall } from '../../sandbox/centrapay/client.ts';
import { DEMO_CREDENTIALS as CP, startCentrapaySimulator, type RunningSimulator } from '../../sandbox/centrapay/standalone.ts';
import { rawPayByCall } from '../../sandbox/payby/client.ts';
import { startPayBySimulator, type RunningPayBySimulator } from '../../sandbox/payby/standalone.ts';
import { CENTRAPAY_PREFIXES, luhnValid } from '../../src/shared/classify.ts';

// The wallet page with Centrapay and PayBy wallets, against the real simulators (real HTTP, real signatures)
// started here on their own ports: the demo server may not mount them yet. The page's calls to
// /sim/<provider>/control/* are forwarded there unchanged — a different host, not a stand-in.
let centrapay: RunningSimulator;
let payby: RunningPayBySimulator;

test.beforeAll(async () => {
  centrapay = await startCentrapaySimulator({ merchantName: 'Demo Café' });
  payby = await startPayBySimulator({ storeName: 'Dubai Demo Shop' });
});
test.afterAll(async () => {
  await centrapay?.close();
  await payby?.close();
});

async function openWallet(page: Page) {
  for (const [sim, base] of [
    ['centrapay', centrapay.baseUrl],
    ['payby', payby.simUrl],
  ] as const) {
    await page.route(`**/sim/${sim}/control/**`, async (route) => {
      const u = new URL(route.request().url());
      await route.fulfill({ response: await route.fetch({ url: `${base}${u.pathname.slice(`/sim/${sim}`.length)}${u.search}` }) });
    });
  }
  await page.goto('/wallet');
}

test.afterEach(async ({ page }) => {
  // The wallet page keeps polling its code's state through these routes: a poll still being forwarded when
  // the test ends failed it ("route.fetch: Test ended", seen in the soak). Wait for those, then route no more.
  await page.unrouteAll({ behavior: 'wait' });
});

let zxing: Promise<unknown> | undefined;
/** Reads the barcode in a screenshot of `el` with ZXing: proves what the phone shows is scannable. */
async function decode(el: Locator, format: 'QRCode' | 'Code128'): Promise<string[]> {
  const wasm = readFileSync('node_modules/zxing-wasm/dist/reader/zxing_reader.wasm');
  zxing ??= prepareZXingModule({
    overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
    fireImmediately: true,
  });
  await zxing;
  const results = await readBarcodes(new Uint8Array(await el.screenshot()), { formats: [format] });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

async function shownCode(page: Page, wallet: 'centrapay' | 'payby'): Promise<string> {
  await page.getByTestId(`wallet-vendor-${wallet}`).click();
  await expect(page.getByTestId('wallet-status')).toHaveText('Show this code to the cashier');
  return (await page.getByTestId('wallet-code-text').innerText()).trim();
}

async function pasteQr(page: Page, payload: string) {
  const input = page.getByTestId('wallet-qr-input');
  if (!(await input.isVisible())) await page.getByText('Scan a merchant QR').click();
  await input.fill(payload);
  await page.getByTestId('wallet-qr-submit').click();
}

const cp = (method: 'GET' | 'POST', path: string, body?: unknown) =>
  rawCentrapayCall(centrapay.baseUrl, method, path, { apiKey: CP.apiKey, body });
const cpCreate = async (minor: string, barcode?: string) => {
  const r = await cp('POST', '/api/payment-requests', {
    configId: CP.configId,
    value: { amount: minor, currency: 'NZD' },
    externalRef: randomUUID(),
    ...(barcode ? { barcode } : {}),
  });
  expect(r.status, r.text).toBe(200);
  return r.body as { id: string; url: string; status: string };
};

const pb = (path: string, biz: Record<string, unknown>) =>
  rawPayByCall(payby.baseUrl, path, biz, {
    partnerId: payby.partnerId,
    privateKey: payby.merchantPrivateKeyPem,
    platformPublicKey: payby.platformPublicKeyPem,
  });
const pbOrder = async (merchantOrderNo: string) => {
  const r = await pb('/acquire2/getOrder', { merchantOrderNo });
  expect(r.verified).toBe(true);
  return r.json.body!.acquireOrder as { status: string };
};

test.describe('Centrapay wallet', () => {
  test('patron code: 16 digits with a listed prefix and Luhn digit, scannable as QR and Code 128', async ({ page }) => {
    await openWallet(page);
    const code = await shownCode(page, 'centrapay');
    expect(code).toMatch(/^\d{16}$/);
    expect(CENTRAPAY_PREFIXES).toContain(code.slice(0, 6));
    expect(luhnValid(code)).toBe(true);
    expect(await decode(page.getByTestId('wallet-barcode'), 'Code128')).toEqual([code]);
    expect(await decode(page.getByTestId('wallet-qr'), 'QRCode')).toEqual([code]);
    // Centrapay patron codes live 5 minutes (simulator default), shown as m:ss.
    await expect(page.getByTestId('wallet-countdown')).toHaveText(/patron code · valid for [45]:\d\d/);
  });

  test('a charge made with the patron code is approved on the phone → paid', async ({ page }) => {
    await openWallet(page);
    const code = await shownCode(page, 'centrapay');
    const req = await cpCreate('1250', code);
    // One money rule with the kiosk (issue 12): NZD from the Wellington store shows as "$12.50" here too.
    await expect(page.getByTestId('wallet-charge-amount')).toHaveText('Pay $12.50 to Demo Café?');
    await page.getByTestId('wallet-approve').click();
    await expect(page.getByTestId('wallet-status')).toHaveText('Paid');
    expect((await cp('GET', `/api/payment-requests/${req.id}`)).body.status).toBe('paid');
  });

  test('declined on the phone → the request is cancelled by the patron', async ({ page }) => {
    await openWallet(page);
    const req = await cpCreate('990', await shownCode(page, 'centrapay'));
    await page.getByTestId('wallet-decline').click();
    await expect(page.getByTestId('wallet-status')).toHaveText('Declined');
    expect((await cp('GET', `/api/payment-requests/${req.id}`)).body).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'DECLINED_BY_PATRON',
    });
  });

  test('a merchant QR (payment request url) pasted into the wallet is paid', async ({ page }) => {
    const req = await cpCreate('800');
    expect(req.url).toMatch(/\/sim\/centrapay\/pay\/[A-Za-z0-9]+$/);
    await openWallet(page);
    await pasteQr(page, req.url);
    await expect(page.getByTestId('wallet-mpm-amount')).toHaveText('$8.00 to Demo Café');
    await page.getByTestId('wallet-mpm-pay').click();
    await expect(page.getByTestId('wallet-mpm-status')).toHaveText('Paid');
    expect((await cp('GET', `/api/payment-requests/${req.id}`)).body.status).toBe('paid');
  });
});

test.describe('PayBy wallet', () => {
  const order = (scene: 'QRPAY' | 'DYNQR', amount: number, params: Record<string, string>) => {
    const merchantOrderNo = `wallet-e2e-${randomUUID()}`;
    return {
      merchantOrderNo,
      biz: {
        merchantOrderNo,
        subject: 'Demo order',
        totalAmount: { currency: 'AED', amount },
        paySceneCode: scene,
        paySceneParams: params,
      },
    };
  };

  test('authCode shaped like PayBy’s, scannable as Code 128', async ({ page }) => {
    await openWallet(page);
    const code = await shownCode(page, 'payby');
    expect(code).toMatch(/^2000\d{4}T\d{9}F$/);
    expect(await decode(page.getByTestId('wallet-barcode'), 'Code128')).toEqual([code]);
  });

  test('a QRPAY charge with the authCode is approved on the phone → PAID_SUCCESS', async ({ page }) => {
    await openWallet(page);
    const { merchantOrderNo, biz } = order('QRPAY', 12.5, { authCode: await shownCode(page, 'payby') });
    const placed = await pb('/acquire2/placeOrder', biz);
    expect(placed.json.body?.acquireOrder?.status, placed.text).toBe('CREATED');
    await expect(page.getByTestId('wallet-charge-amount')).toHaveText(/^Pay AED\s12\.50 to Dubai Demo Shop\?$/);
    await page.getByTestId('wallet-approve').click();
    await expect(page.getByTestId('wallet-status')).toHaveText('Paid');
    expect((await pbOrder(merchantOrderNo)).status).toBe('PAID_SUCCESS');
  });

  test('a DYNQR merchant QR: declined first (order stays open), then paid', async ({ page }) => {
    const { merchantOrderNo, biz } = order('DYNQR', 30, {});
    const placed = await pb('/acquire2/placeOrder', biz);
    const tokenUrl = placed.json.body?.interActionParams?.tokenUrl as string;
    expect(tokenUrl, placed.text).toMatch(/\/sim\/payby\/pay\/[\w-]+$/);
    await openWallet(page);
    await pasteQr(page, tokenUrl);
    await expect(page.getByTestId('wallet-mpm-amount')).toHaveText(/^AED\s30\.00 to Dubai Demo Shop$/);
    await page.getByTestId('wallet-mpm-decline').click();
    await expect(page.getByTestId('wallet-mpm-status')).toHaveText(/declined/i);
    expect((await pbOrder(merchantOrderNo)).status).toBe('CREATED');

    await page.getByTestId('wallet-qr-submit').click();
    await page.getByTestId('wallet-mpm-pay').click();
    await expect(page.getByTestId('wallet-mpm-status')).toHaveText('Paid');
    expect((await pbOrder(merchantOrderNo)).status).toBe('PAID_SUCCESS');
  });
});
