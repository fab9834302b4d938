// Issue 4 "Needs attention" on the kiosk: a payment the proxy cannot settle (the provider stops answering its
// status checks) shows up with a count, what is known and the actions the proxy offers; a failed re-check is
// explained, and a re-check once the provider answers settles it and takes it off the list.
import { expect, test } from '@playwright/test';
import { issueWalletCode, pairKiosk } from './helpers';
import { terminalToken } from './offline-helpers';

const TRAN_QUERY = '/app-data-search/v3/tran-query';

test('a payment the provider stops answering for is listed with its facts; re-check explains failure, then settles it', async ({
  page,
  request,
}) => {
  await pairKiosk(page);
  const token = await terminalToken(page);
  // A payment of this terminal made outside the Pay screen (e.g. by a tab that has since closed).
  const { code } = await issueWalletCode(request, 'alipay');
  const created = await request.post('/api/payments', {
    headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
    data: { orderId: `order-${crypto.randomUUID()}`, amount: { value: 4321, currency: 'USD' }, mode: 'cpm', code, vendor: 'alipay' },
  });
  expect(created.status()).toBe(201);
  const payment = (await created.json()) as { id: string; providerRef: string; status: string };
  expect(payment.status).toBe('pending');

  try {
    // Pockyt stops answering status queries: after several failed checks the proxy raises the flag.
    expect(
      (await request.post('/sim/pockyt/control/faults', { data: { path: TRAN_QUERY, kind: 'http500', times: 1000 } })).ok(),
    ).toBeTruthy();
    await expect(page.getByTestId('attention-badge')).toHaveText('1', { timeout: 20_000 });

    await page.getByTestId('nav-attention').click();
    const row = page.getByTestId('attention-row');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-payment-id', payment.id);
    await expect(row.getByTestId('attention-status')).toHaveText(/pending/);
    await expect(row.getByTestId('attention-message')).toHaveText(/not answered/);
    await expect(row).toContainText('$43.21');
    await expect(row).toContainText(payment.providerRef);
    // Only what the proxy allows for an open payment: no void or refund of money that did not move.
    await expect(row.getByTestId('attention-recheck')).toBeVisible();
    await expect(row.getByTestId('attention-cancel')).toBeVisible();
    await expect(row.getByTestId('attention-void')).toHaveCount(0);

    await row.getByTestId('attention-recheck').click();
    await expect(page.getByTestId('attention-error')).toHaveText(/did not answer/);
    await expect(row).toHaveCount(1);

    // The customer's approval lands and the provider answers again: a re-check settles it.
    await request.delete('/sim/pockyt/control/faults');
    expect((await request.post(`/sim/pockyt/control/transactions/${payment.providerRef}/approve`)).ok()).toBeTruthy();
    // The reconciler may settle it first: then the row (and its button) is gone, and a click without its own
    // timeout would wait for the row until the whole test times out.
    await row
      .getByTestId('attention-recheck')
      .click({ timeout: 2_000 })
      .catch(() => {});
    await expect(page.getByTestId('attention-row')).toHaveCount(0, { timeout: 10_000 });
    await expect(page.getByTestId('attention-badge')).toHaveCount(0);
    const after = await request.get(`/api/payments/${payment.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await after.json()).toMatchObject({ status: 'succeeded', needsAttention: false });
  } finally {
    await request.delete('/sim/pockyt/control/faults');
  }
});
