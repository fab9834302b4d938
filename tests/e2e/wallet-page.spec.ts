import { test, expect, chromium, type APIRequestContext, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_PORT } from '../../playwright.config';
import { DEMO_POCKYT } from '../../sandbox/pockyt/demo.ts';
import { rawPockytCall } from '../../sandbox/pockyt/client.ts';
import { CENTRAPAY_PREFIXES, luhnValid } from '../../src/shared/classify.ts';
import { writeY4m } from '../helpers/y4m';

// The demo wallet page against the demo server's own simulators. The e2e server (playwright.config.ts) runs
// without POCKYT_* env, so its Pockyt simulator trusts the sandbox's DEMO_POCKYT — not standalone.ts's
// DEMO_CREDENTIALS, which belong to the standalone simulator.
const POCKYT = `http://127.0.0.1:${E2E_PORT}/sim/pockyt`;
// Nothing listens on the discard port: the simulator's IPNs for these test payments go nowhere, harmlessly.
const IPN_URL = 'http://127.0.0.1:9/ipn';

async function pockyt(path: string, fields: Record<string, string>) {
  const r = await rawPockytCall(
    POCKYT,
    path,
    { merchantNo: DEMO_POCKYT.merchantNo, storeNo: DEMO_POCKYT.storeNo, ...fields },
    { token: DEMO_POCKYT.token },
  );
  expect(r.body.ret_code, `${path}: ${r.text}`).toBe('000100');
  return r.body.result as Record<string, string>;
}

/** A merchant QR as the kiosk would get it: create-trans-qrcode, signed with the demo credentials. */
async function pockytMerchantQr(amount: string): Promise<{ transactionNo: string; deepLink: string }> {
  const result = await pockyt('/app-instore/v3/create-trans-qrcode', {
    amount,
    currency: 'USD',
    settleCurrency: 'USD',
    vendor: 'alipay',
    reference: `wallet-e2e-${randomUUID()}`,
    ipnUrl: IPN_URL,
  });
  expect(result.deepLink).toMatch(/\/sim\/pockyt\/qr\/\d+$/);
  return { transactionNo: result.transactionNo, deepLink: result.deepLink };
}

async function pockytTxn(request: APIRequestContext, no: string) {
  const res = await request.get(`/sim/pockyt/control/transactions/${no}`);
  expect(res.ok()).toBeTruthy();
  return (await res.json()) as { status: string; amount: string; mode: string };
}

async function pasteQr(page: Page, payload: string) {
  const input = page.getByTestId('wallet-qr-input');
  if (!(await input.isVisible())) await page.getByText('Scan a merchant QR').click();
  await input.fill(payload);
  await page.getByTestId('wallet-qr-submit').click();
}

/** Whether the demo server mounts a simulator's control routes (the lead wires Centrapay/PayBy into app.ts). */
async function mounted(request: APIRequestContext, sim: 'centrapay' | 'payby'): Promise<boolean> {
  return (await request.post(`/sim/${sim}/control/codes`, { data: {} })).status() !== 404;
}

test('a Pockyt merchant QR pasted into the wallet is paid at the simulator', async ({ page, request }) => {
  const { transactionNo, deepLink } = await pockytMerchantQr('12.50');
  await page.goto('/wallet');
  await pasteQr(page, deepLink);
  await expect(page.getByTestId('wallet-mpm-amount')).toContainText('$12.50');
  expect((await pockytTxn(request, transactionNo)).status).toBe('init');

  await page.getByTestId('wallet-mpm-pay').click();
  await expect(page.getByTestId('wallet-mpm-status')).toHaveText('Paid');
  expect(await pockytTxn(request, transactionNo)).toMatchObject({ status: 'success', amount: '12.50', mode: 'mpm' });
  // Paid once: the same QR again offers nothing to pay.
  await page.getByTestId('wallet-qr-submit').click();
  await expect(page.getByTestId('wallet-mpm-status')).toHaveText('Paid');
  await expect(page.getByTestId('wallet-mpm-pay')).toHaveCount(0);
});

test("opening a merchant QR's link lands on the wallet; Decline pays nothing", async ({ page, request }) => {
  const { transactionNo, deepLink } = await pockytMerchantQr('3.25');
  await page.goto(deepLink); // the simulator redirects to /wallet?qr=<deepLink>, as a phone camera app would
  await expect(page).toHaveURL(/\/wallet\?qr=/);
  await expect(page.getByTestId('wallet-mpm-amount')).toContainText('$3.25');
  await page.getByTestId('wallet-mpm-decline').click();
  await expect(page.getByTestId('wallet-mpm-status')).toHaveText(/declined/i);
  // A declining wallet never pays; the store's QR stays open for the cashier to cancel.
  expect((await pockytTxn(request, transactionNo)).status).toBe('init');
});

test('payloads that are not demo-store payment requests are refused with a clear message, asking no simulator', async ({ page }) => {
  await page.goto('/wallet');
  const simCalls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/sim/')) simCalls.push(r.url());
  });
  const foreign = [
    'https://example.com/checkout?order=123',
    '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEIJING',
    'https://qr.alipay.com/bax00000000000000000',
    `http://127.0.0.1:${E2E_PORT}/sim/pockyt/qr/123456789012.svg`,
    'javascript:alert(1)//sim/pockyt/qr/123456789012',
    'just some text',
  ];
  for (const payload of foreign) {
    await pasteQr(page, payload);
    await expect(page.getByTestId('wallet-qr-error'), payload).toHaveText(/This QR isn't a payment request from a demo store/);
    await expect(page.getByTestId('wallet-mpm-amount')).toHaveCount(0);
  }
  expect(simCalls).toEqual([]);

  // Shaped like ours but unknown to this server (another server's QR, or a forgotten one): same message, after asking.
  await pasteQr(page, `http://127.0.0.1:${E2E_PORT}/sim/pockyt/qr/399999999999999999`);
  await expect(page.getByTestId('wallet-qr-error')).toHaveText(/This QR isn't a payment request from a demo store.*no Pockyt payment/);
  expect(simCalls).toHaveLength(1);
});

test('an Alipay code from the wallet: the charge made with it is approved on the phone', async ({ page, request }) => {
  await page.goto('/wallet');
  await page.getByTestId('wallet-vendor-alipay').click();
  const code = (await page.getByTestId('wallet-code-text').innerText()).trim();
  expect(code).toMatch(/^(2[5-9]|30)\d{14,22}$/);
  await expect(page.getByTestId('wallet-countdown')).toHaveText(/valid for \d+ s/);

  const { transactionNo } = await pockyt('/app-instore/v3/add', {
    amount: '7.40',
    currency: 'USD',
    settleCurrency: 'USD',
    reference: `wallet-e2e-${randomUUID()}`,
  });
  const prepay = await pockyt('/app-instore/v3/prepay', { transactionNo, paymentBarcode: code, vendor: 'alipay' });
  expect(prepay.transactionStatus).toBe('pending');

  await expect(page.getByTestId('wallet-status')).toHaveText('Confirm the payment');
  await expect(page.getByTestId('wallet-charge-amount')).toContainText('$7.40');
  await page.getByTestId('wallet-approve').click();
  await expect(page.getByTestId('wallet-status')).toHaveText('Paid');
  expect((await pockytTxn(request, transactionNo)).status).toBe('success');

  // A new code is a different one-time code.
  await page.getByTestId('wallet-new-code').click();
  await expect(page.getByTestId('wallet-code-text')).not.toHaveText(code);
});

test('the phone camera reads a Pockyt merchant QR (scan library, fake camera) and pays it', async ({ baseURL, request }) => {
  const { transactionNo, deepLink } = await pockytMerchantQr('4.75');
  mkdirSync('.test-tmp', { recursive: true });
  const file = writeY4m(resolve('.test-tmp', 'wallet-mpm-qr.y4m'), { text: deepLink, symbology: 'qr' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${file}`],
  });
  try {
    const page = await browser.newPage({ baseURL, viewport: { width: 412, height: 900 } });
    await page.goto('/wallet');
    await page.getByText('Scan a merchant QR').click();
    await page.getByTestId('wallet-scan-qr').click();
    await expect(page.getByTestId('wallet-mpm-amount')).toContainText('$4.75', { timeout: 15_000 });
    // The camera is released once the code is read.
    await expect(page.getByTestId('wallet-camera-video')).toHaveCount(0);
    await expect(page.getByTestId('wallet-qr-input')).toHaveValue(deepLink);
    await page.getByTestId('wallet-mpm-pay').click();
    await expect(page.getByTestId('wallet-mpm-status')).toHaveText('Paid');
    expect((await pockytTxn(request, transactionNo)).status).toBe('success');
  } finally {
    await browser.close();
  }
});

test('Centrapay patron code from the demo server: 16 digits, listed prefix, Luhn', async ({ page, request }) => {
  test.skip(
    !(await mounted(request, 'centrapay')),
    'the demo server does not mount /sim/centrapay yet (app.ts wiring); wallet-providers.spec.ts covers it against a standalone simulator',
  );
  await page.goto('/wallet');
  await page.getByTestId('wallet-vendor-centrapay').click();
  const code = (await page.getByTestId('wallet-code-text').innerText()).trim();
  expect(code).toMatch(/^\d{16}$/);
  expect(CENTRAPAY_PREFIXES).toContain(code.slice(0, 6));
  expect(luhnValid(code)).toBe(true);
  const state = await (await request.get(`/sim/centrapay/control/codes/${code}`)).json();
  expect(state).toMatchObject({ code, vendor: 'centrapay', state: 'issued' });
});

test('PayBy authCode from the demo server', async ({ page, request }) => {
  test.skip(
    !(await mounted(request, 'payby')),
    'the demo server does not mount /sim/payby yet (app.ts wiring); wallet-providers.spec.ts covers it against a standalone simulator',
  );
  await page.goto('/wallet');
  await page.getByTestId('wallet-vendor-payby').click();
  const code = (await page.getByTestId('wallet-code-text').innerText()).trim();
  expect(code).toMatch(/^2000\d{4}T\d{9}F$/);
  const state = await (await request.get(`/sim/payby/control/codes/${code}`)).json();
  expect(state).toMatchObject({ code, vendor: 'payby', state: 'issued' });
});
