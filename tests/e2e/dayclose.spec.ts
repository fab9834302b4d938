// Issue 11 "running the store's day" on the kiosk: the Z report journey (sell, open Day close with a
// supervisor PIN, the X totals match what was sold and refunded, close the day with the PIN, the Z number,
// the CSV with the same totals) and a reconciliation difference — a payment taken at Pockyt outside the
// proxy — appearing on Attention with what it means and the provider's reference.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEMO_POCKYT } from '../../sandbox/pockyt/demo.ts';
import { createPockytAdapter } from '../../server/providers/pockyt/adapter.ts';
import { pairKiosk, ringUpOpenAmount } from './helpers';
import { alipayTestCode, enterCode, terminalToken } from './offline-helpers';

const PIN = '1234';

async function sellOnScreen(page: Page, minor: number): Promise<void> {
  await ringUpOpenAmount(page, minor);
  await page.getByTestId('pay-wallet').click();
  await enterCode(page, alipayTestCode('0001'));
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('new-sale').click();
}

async function sellByApi(request: APIRequestContext, token: string, minor: number): Promise<string> {
  const r = await request.post('/api/payments', {
    headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
    data: { orderId: `order-${crypto.randomUUID()}`, amount: { value: minor, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') },
  });
  expect(r.status(), await r.text()).toBe(201);
  const p = (await r.json()) as { id: string; status: string };
  expect(p.status).toBe('succeeded');
  return p.id;
}

async function refundByApi(request: APIRequestContext, token: string, paymentId: string, minor: number): Promise<void> {
  const auth = { Authorization: `Bearer ${token}` };
  const r = await request.post(`/api/payments/${paymentId}/refunds`, {
    headers: { ...auth, 'Idempotency-Key': crypto.randomUUID(), 'X-Staff-Pin': PIN },
    data: { amount: { value: minor, currency: 'USD' } },
  });
  expect(r.status(), await r.text()).toBe(201);
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/payments/${paymentId}`, { headers: auth })).json()) as { refundedAmount: { value: number } })
          .refundedAmount.value,
    )
    .toBe(minor);
}

async function openDayClose(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('open-dayclose').click();
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('dayclose-report')).toBeVisible({ timeout: 30_000 });
}

test('Z report: the day of sales and a refund, X totals, close with the PIN, Z number, CSV with the same totals', async ({
  page,
  request,
}) => {
  await pairKiosk(page);
  const token = await terminalToken(page);
  await sellOnScreen(page, 1250);
  const second = await sellByApi(request, token, 3000);
  await refundByApi(request, token, second, 500);

  await openDayClose(page);
  // This terminal is new: its day holds exactly these two sales and the refund.
  await expect(page.getByTestId('dayclose-kind')).toHaveText(/X report/);
  await expect(page.getByTestId('dayclose-USD-count')).toHaveText('2');
  await expect(page.getByTestId('dayclose-USD-gross')).toHaveText('$42.50');
  await expect(page.getByTestId('dayclose-USD-refunds')).toHaveText('$5.00');
  await expect(page.getByTestId('dayclose-USD-net')).toHaveText('$37.50');
  await expect(page.getByTestId('dayclose-USD-provider-pockyt')).toContainText('$37.50');
  await expect(page.getByTestId('dayclose-USD-wallet-alipay')).toContainText('$42.50');
  await expect(page.getByTestId('dayclose-open-count')).toHaveText('0');
  await expect(page.getByTestId('dayclose-staff')).toContainText('$5.00');

  // The whole store holds at least this terminal's takings.
  await page.getByTestId('dayclose-scope-store').click();
  await expect(page.getByTestId('dayclose-scope-store')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('dayclose-report')).toContainText('whole store');
  await page.getByTestId('dayclose-scope-terminal').click();
  await expect(page.getByTestId('dayclose-report')).toContainText('this terminal');

  // Z: a confirm step, then the PIN; a wrong PIN is refused and closes nothing.
  await page.getByTestId('dayclose-z').click();
  await page.getByTestId('z-confirm').click();
  await page.getByTestId('pin-input').fill('0000');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-error')).toBeVisible();
  await expect(page.getByTestId('dayclose-kind')).toHaveText(/X report/);
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('dayclose-closed')).toHaveText(/Day closed: Z no\. \d+/);
  const zNumber = Number(await page.getByTestId('dayclose-z-number').innerText());
  expect(zNumber).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('dayclose-closed')).toHaveText(`Day closed: Z no. ${zNumber}`);
  await expect(page.getByTestId('dayclose-USD-net')).toHaveText('$37.50');
  await expect(page.getByTestId('dayclose-z')).toBeDisabled();

  // The proxy agrees: the day's report is now this Z.
  const api = await request.get('/api/reports/day?scope=terminal&reconcile=false', {
    headers: { Authorization: `Bearer ${token}`, 'X-Staff-Pin': PIN },
  });
  expect(await api.json()).toMatchObject({ kind: 'Z', closed: { number: zNumber }, currencies: { USD: { net: { value: 3750 } } } });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dayclose-csv').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`-terminal-z${zNumber}\\.csv$`));
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('section,currency,provider,wallet,count,gross,refunds,net,status,provider_reference,reference,detail');
  expect(lines).toContain(`report,,,,,,,,,,,z_number=${zNumber}`);
  expect(lines).toContain('total,USD,,,2,42.50,5.00,37.50,,,,refunds_count=1');
});

test('a payment taken at Pockyt outside the proxy shows on Day close and on Attention, with what it means', async ({ page, baseURL }) => {
  await pairKiosk(page);
  const outside = createPockytAdapter({ baseUrl: `${baseURL}/sim/pockyt`, ...DEMO_POCKYT });
  const v = await outside.chargeCode({
    reference: `outside-${crypto.randomUUID()}`,
    amount: { value: 4242, currency: 'USD' },
    code: alipayTestCode('0001'),
    vendor: 'alipay',
  });
  expect(v.status).toBe('succeeded');
  const ref = v.providerRef!;

  // Reconciling the store's day (the Day close report does) finds it.
  await openDayClose(page);
  await page.getByTestId('dayclose-scope-store').click();
  const onReport = page.getByTestId('dayclose-reconciliation').getByTestId('difference').filter({ hasText: ref });
  await expect(onReport).toHaveAttribute('data-kind', 'missing_here');
  await expect(onReport).toContainText('At the provider but not here');
  await expect(onReport).toContainText('$42.42');

  await page.getByTestId('nav-attention').click();
  const onAttention = page.getByTestId('attention-differences').getByTestId('difference').filter({ hasText: ref });
  await expect(onAttention).toHaveCount(1);
  await expect(onAttention.getByTestId('difference-ref')).toHaveText(ref);
  await expect(onAttention.getByTestId('difference-meaning')).toHaveText(/Money we never recorded/);
  await expect(onAttention).toContainText('Provider: $42.42');
  await expect(onAttention).toContainText('Here: nothing');
  await expect(page.getByTestId('attention-badge')).not.toHaveText('0');
});
