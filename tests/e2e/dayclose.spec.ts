// Issue 11 "running the store's day" on the kiosk: the Z report journey (sell, open Day close with a
// supervisor PIN typed once, the X totals match what was sold and refunded, close the day, the Z number, the
// CSV with the same totals) and a reconciliation difference — a payment taken at Pockyt outside the proxy —
// appearing on Attention with what it means and the provider's reference. The typed PIN is exchanged once for
// a day-close grant and never sent again (no X-Staff-Pin at all); a signed-in supervisor is asked for none;
// a grant that ends mid-screen brings the PIN dialog back and the action carries on after it.
import { expect, test, type APIRequestContext, type Page, type Request } from '@playwright/test';
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

interface StaffCall {
  method: string;
  path: string;
  pinHeader: boolean;
  grant: string | null;
  /** The PIN appears anywhere in the body. */
  pinInBody: boolean;
}

/** Every request to the report, close and grant routes, with what staff say-so it carried. */
function watchStaffCalls(page: Page): StaffCall[] {
  const calls: StaffCall[] = [];
  page.on('request', (r: Request) => {
    const path = new URL(r.url()).pathname;
    if (!path.startsWith('/api/reports/') && path !== '/api/staff/grants') return;
    const h = r.headers();
    calls.push({
      method: r.method(),
      path,
      pinHeader: 'x-staff-pin' in h,
      grant: h['x-staff-grant'] ?? null,
      pinInBody: (r.postData() ?? '').includes(`"pin":"${PIN}"`),
    });
  });
  return calls;
}

async function signInAtTill(page: Page, pin: string): Promise<void> {
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sign-in-pin').fill(pin);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-out')).toBeVisible();
}

test('Z report: the day of sales and a refund, the PIN typed once, X totals, close, Z number, CSV with the same totals', async ({
  page,
  request,
}) => {
  await pairKiosk(page);
  const token = await terminalToken(page);
  await sellOnScreen(page, 1250);
  const second = await sellByApi(request, token, 3000);
  await refundByApi(request, token, second, 500);

  const calls = watchStaffCalls(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('open-dayclose').click();
  // A wrong PIN buys nothing and shows nothing.
  await page.getByTestId('pin-input').fill('0000');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-error')).toBeVisible();
  await expect(page.getByTestId('dayclose-report')).toHaveCount(0);
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('dayclose-report')).toBeVisible({ timeout: 30_000 });
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
  const refreshed = page.waitForResponse((r) => r.url().includes('/api/reports/day?') && r.request().method() === 'GET');
  await page.getByTestId('dayclose-refresh').click();
  expect((await refreshed).status()).toBe(200);
  await expect(page.getByTestId('dayclose-kind')).toHaveText(/X report/);

  // Z: a confirm step and no second PIN; the grant the first PIN bought closes the day.
  await page.getByTestId('dayclose-z').click();
  await page.getByTestId('z-cancel').click();
  await expect(page.getByTestId('dayclose-kind')).toHaveText(/X report/);
  await page.getByTestId('dayclose-z').click();
  await page.getByTestId('z-confirm').click();
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
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

  // The PIN went to the proxy in exactly one successful exchange (and the wrong one), never in a header; every
  // report read, the CSV and the Z carried the one grant that exchange bought.
  const exchanges = calls.filter((c) => c.path === '/api/staff/grants');
  expect(exchanges).toHaveLength(2);
  expect(exchanges[1]).toMatchObject({ method: 'POST', pinInBody: true, pinHeader: false });
  expect(calls.filter((c) => c.pinHeader)).toEqual([]);
  expect(calls.filter((c) => c.pinInBody).map((c) => c.path)).toEqual(['/api/staff/grants']);
  const reads = calls.filter((c) => c.path === '/api/reports/day');
  const closes = calls.filter((c) => c.path === '/api/reports/day/close');
  // Open, store, terminal, refresh, CSV.
  expect(reads.length).toBeGreaterThanOrEqual(5);
  expect(closes).toHaveLength(1);
  const grants = new Set([...reads, ...closes].map((c) => c.grant));
  expect(grants.size).toBe(1);
  expect([...grants][0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
});

test('a signed-in supervisor: Day close asks no PIN at all; X, CSV and Z go on the session alone', async ({ page }) => {
  await pairKiosk(page);
  await signInAtTill(page, PIN);
  const calls = watchStaffCalls(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('open-dayclose').click();
  await expect(page.getByTestId('dayclose-report')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
  await expect(page.getByTestId('dayclose-kind')).toHaveText(/X report/);
  await page.getByTestId('dayclose-refresh').click();
  await expect(page.getByTestId('dayclose-refresh')).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dayclose-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/-terminal\.csv$/);
  await page.getByTestId('dayclose-z').click();
  await page.getByTestId('z-confirm').click();
  await expect(page.getByTestId('dayclose-closed')).toHaveText(/Day closed: Z no\. \d+/);
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
  // Open, refresh, CSV, close: no exchange, no PIN, no grant.
  expect(calls.length).toBeGreaterThanOrEqual(4);
  expect(calls.filter((c) => c.path === '/api/staff/grants' || c.pinHeader || c.grant !== null || c.pinInBody)).toEqual([]);

  // Signing out takes the day's figures off the screen at once; the PIN brings them back.
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('dayclose-report')).toHaveCount(0);
  await expect(page.getByTestId('pin-input')).toBeVisible();
  await expect(page.getByRole('dialog')).toContainText('has ended');
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('dayclose-report')).toBeVisible();
});

test('when the grant ends mid-screen the PIN is asked again and what was asked for carries on', async ({ page }) => {
  await page.clock.install();
  await pairKiosk(page);
  const calls = watchStaffCalls(page);
  await openDayClose(page);

  // The grant's two minutes run out while the report is on screen: the report stays, the next refresh asks.
  await page.clock.fastForward('02:00');
  // Back to the proxy's time, so the next grant's two minutes are measured on the same clock as the proxy's.
  await page.clock.setSystemTime(Date.now());
  await page.getByTestId('dayclose-refresh').click();
  await expect(page.getByTestId('pin-input')).toBeVisible();
  await expect(page.getByRole('dialog')).toContainText('has ended');
  await expect(page.getByTestId('dayclose-error')).toHaveCount(0);
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
  await expect(page.getByTestId('dayclose-kind')).toHaveText(/X report/);

  // The proxy ends it (its clock, or the supervisor's role changed) just as the Z is asked for: the PIN, then
  // the close goes through without a second tap.
  let refusedOnce = false;
  await page.route('**/api/reports/day/close', async (route) => {
    if (refusedOnce) return route.continue();
    refusedOnce = true;
    await route.fulfill({
      status: 403,
      json: {
        error: { code: 'grant_expired', message: "The supervisor's access has ended on this tablet: enter a supervisor's PIN again." },
      },
    });
  });
  await page.getByTestId('dayclose-z').click();
  await page.getByTestId('z-confirm').click();
  await expect(page.getByTestId('pin-input')).toBeVisible();
  await expect(page.getByTestId('z-error')).toHaveCount(0);
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('dayclose-closed')).toHaveText(/Day closed: Z no\. \d+/);

  const exchanges = calls.filter((c) => c.path === '/api/staff/grants');
  expect(exchanges).toHaveLength(3);
  const closes = calls.filter((c) => c.path === '/api/reports/day/close');
  expect(closes).toHaveLength(2);
  // The retried close carried the new grant, not the ended one.
  expect(closes[1].grant).not.toBe(closes[0].grant);
  expect(calls.filter((c) => c.pinHeader)).toEqual([]);
});

test("a tablet whose clock is 10 minutes ahead of the proxy's keeps its grant: refreshing asks for no PIN", async ({ page }) => {
  // Tablets drift, and a kiosk without network time can be minutes off: the grant is timed by the time left
  // that the proxy gave, not by its expiry read against this clock (which would drop it at once).
  await page.clock.install({ time: Date.now() + 10 * 60_000 });
  await pairKiosk(page);
  const calls = watchStaffCalls(page);
  await openDayClose(page);
  await page.getByTestId('dayclose-refresh').click();
  await expect(page.getByTestId('dayclose-refresh')).toBeEnabled();
  await page.getByTestId('dayclose-refresh').click();
  await expect(page.getByTestId('dayclose-refresh')).toBeEnabled();
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
  await expect(page.getByTestId('dayclose-error')).toHaveCount(0);
  expect(calls.filter((c) => c.path === '/api/staff/grants')).toHaveLength(1);
  expect(calls.filter((c) => c.path === '/api/reports/day').length).toBeGreaterThanOrEqual(3);
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
