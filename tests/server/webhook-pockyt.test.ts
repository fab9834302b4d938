// POST /webhooks/pockyt against the real simulator's IPNs: a notification marks a payment paid without any
// polling (the poller is set to wait a minute), replays are harmless, forged/tampered/unknown ones change
// nothing, and a notification is never trusted over the provider's own answer to tran-query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';
import { signFields } from '../../server/providers/pockyt/signing.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { getWebhookEvent, listWebhookEvents } from '../../server/store/webhook-events.ts';
import { applyTransition } from '../../server/payments/transition.ts';

let server: TestServer;
let kiosk: Kiosk;
let token: string;

beforeAll(async () => {
  server = await startServer({
    // No poll within a test's lifetime: whatever changes a payment here came through the webhook.
    POLL_INITIAL_MS: '60000',
    POLL_MAX_MS: '60000',
    // The simulator retries an unacknowledged IPN after 300 ms, then 600 ms.
    SIM_POCKYT_IPN_SCHEDULE_MS: '0,300,600',
    // A cancel's answer is held at Pockyt for up to 4 s below: still an answer, not a timeout.
    POCKYT_TIMEOUT_MS: '5000',
  });
  kiosk = new Kiosk(server.baseUrl, server.token);
  token = server.app.kiosk.config.providers.pockyt!.token;
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });
const db = () => server.app.kiosk.db;
const queries = () => server.simCalls.filter((c) => c.includes('tran-query')).length;

async function postIpn(body: string, contentType = 'application/x-www-form-urlencoded') {
  const res = await fetch(`${server.baseUrl}/webhooks/pockyt`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** A payment waiting for the customer: wallet-issued code, pending at Pockyt until approved. */
async function pendingPayment(value: number) {
  const r = await kiosk.pay({ orderId: order(), amount: usd(value), mode: 'cpm', code: await kiosk.walletCode() });
  expect(r.body.status).toBe('pending');
  return r.body;
}

/** An IPN as Pockyt would sign it (we hold the merchant token), saying whatever the test needs. */
function signedIpn(fields: Record<string, string>, withToken = token): string {
  return new URLSearchParams(
    signFields({ currency: 'USD', settleCurrency: 'USD', time: '20260101120000', ...fields }, withToken),
  ).toString();
}

async function appliedEvents(paymentId: string) {
  return (await listPaymentEvents(db(), paymentId)).filter((e) => e.applied && e.from !== e.to).map((e) => [e.source, e.to]);
}

describe('POST /webhooks/pockyt', () => {
  let paidId = '';
  let paidTxn = '';

  it('marks a payment paid from the simulator’s real IPN, without polling, and acknowledges with `success`', async () => {
    const p = await pendingPayment(1250);
    const before = queries();
    const approved = await kiosk.sim('POST', `/control/transactions/${p.providerRef}/approve`);
    expect(approved.status).toBe(200);
    const done = await kiosk.waitFor(p.id, (x) => x.status !== 'pending', 3000);
    expect(done.status).toBe('succeeded');
    expect(await appliedEvents(p.id)).toEqual([
      ['create', 'created'],
      ['sync', 'pending'],
      ['webhook', 'succeeded'],
    ]);
    // Exactly one tran-query: the webhook's confirmation (the poller never ran).
    expect(queries() - before).toBe(1);
    // The kiosk can see the payment paid before the IPN's answer is on its way back: the transition commits
    // (and is pushed) first, then the delivery's outcome is recorded and `success` answered. Wait for both.
    const row = () => getWebhookEvent(db(), 'pockyt', `${p.providerRef}:success`);
    await expect.poll(row, { timeout: 3000 }).toMatchObject({ paymentId: p.id, verified: true, outcome: 'applied', duplicates: 0 });
    expect(new URLSearchParams((await row())!.rawBody).get('transactionNo')).toBe(p.providerRef);
    // The simulator only marks delivered on HTTP 2xx with the exact body `success`.
    const ipn = async () => (await kiosk.sim('GET', `/control/transactions/${p.providerRef}`)).body.ipn;
    await expect.poll(ipn, { timeout: 3000 }).toMatchObject({ delivered: true, attempts: 1, status: 'success' });
    paidId = p.id;
    paidTxn = p.providerRef!;
  });

  it('treats a replayed IPN as harmless: `success` again, one state change, the duplicate counted', async () => {
    const row = (await getWebhookEvent(db(), 'pockyt', `${paidTxn}:success`))!;
    const eventsBefore = await listPaymentEvents(db(), paidId);
    const before = queries();
    for (let i = 0; i < 2; i++) {
      const r = await postIpn(row.rawBody);
      expect(r).toMatchObject({ status: 200, text: 'success' });
      expect(r.type).toMatch(/^text\/plain/);
    }
    expect(await listPaymentEvents(db(), paidId)).toEqual(eventsBefore);
    expect(queries()).toBe(before);
    expect(await getWebhookEvent(db(), 'pockyt', `${paidTxn}:success`)).toMatchObject({ duplicates: 2, outcome: 'applied' });
  });

  it('refuses a forged signature and a tampered amount with 401 and changes nothing', async () => {
    const p = await pendingPayment(1300);
    const fields = { transactionNo: p.providerRef!, status: 'success', amount: '13.00', reference: 'x' };
    const rowsBefore = (await listWebhookEvents(db(), 'pockyt')).length;
    const before = queries();

    const forged = await postIpn(signedIpn(fields, 'not-the-merchant-token-000000000'));
    expect(forged.status).toBe(401);
    expect(forged.text).not.toBe('success');

    const unsigned = await postIpn(new URLSearchParams(fields).toString());
    expect(unsigned.status).toBe(401);

    // A genuine IPN (the one the simulator sent earlier) with its amount changed in transit.
    const genuine = (await getWebhookEvent(db(), 'pockyt', `${paidTxn}:success`))!.rawBody;
    const tampered = new URLSearchParams(genuine);
    tampered.set('amount', '0.01');
    const t = await postIpn(tampered.toString());
    expect(t.status).toBe(401);
    expect(t.text).not.toBe('success');

    expect((await kiosk.get(p.id)).body.status).toBe('pending');
    expect((await listWebhookEvents(db(), 'pockyt')).length).toBe(rowsBefore);
    expect(await getWebhookEvent(db(), 'pockyt', `${paidTxn}:success`)).toMatchObject({ duplicates: 2 });
    expect(queries()).toBe(before);
  });

  it('refuses bodies that are not a form, malformed ones, and ones over the size limit', async () => {
    expect((await postIpn(JSON.stringify({ transactionNo: '1', status: 'success' }), 'application/json')).status).toBe(415);
    const dup = signedIpn({ transactionNo: '311', status: 'success', amount: '1.00' }) + '&status=failed';
    expect((await postIpn(dup)).status).toBe(400);
    const noStatus = signedIpn({ transactionNo: '311', amount: '1.00' });
    expect((await postIpn(noStatus)).status).toBe(400);
    const big = signedIpn({ transactionNo: '311', status: 'success', note: 'x'.repeat(70_000) });
    expect((await postIpn(big)).status).toBe(413);
  });

  it('acknowledges an IPN for a transaction we do not have, and changes nothing', async () => {
    const count = await server.countPayments();
    const before = queries();
    const r = await postIpn(signedIpn({ transactionNo: '399999999999999999', status: 'success', amount: '5.00', reference: 'not-ours' }));
    expect(r).toMatchObject({ status: 200, text: 'success' });
    expect(await getWebhookEvent(db(), 'pockyt', '399999999999999999:success')).toMatchObject({
      outcome: 'unknown_payment',
      paymentId: null,
    });
    expect(await server.countPayments()).toBe(count);
    expect(queries()).toBe(before);
  });

  it('does not mark paid when the IPN says success but Pockyt’s tran-query says pending', async () => {
    const p = await pendingPayment(1400);
    const before = queries();
    const r = await postIpn(signedIpn({ transactionNo: p.providerRef!, status: 'success', amount: '14.00' }));
    expect(r).toMatchObject({ status: 200, text: 'success' });
    expect(queries() - before).toBe(1);
    expect((await kiosk.get(p.id)).body).toMatchObject({ status: 'pending', needsAttention: false });
    expect(await appliedEvents(p.id)).toEqual([
      ['create', 'created'],
      ['sync', 'pending'],
    ]);
    expect(await getWebhookEvent(db(), 'pockyt', `${p.providerRef}:success`)).toMatchObject({ outcome: 'disagrees', paymentId: p.id });
  });

  it('lets Pockyt retry when the confirming query fails, and applies the retry', async () => {
    const p = await pendingPayment(1500);
    expect(
      (await kiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/tran-query', kind: 'http500', phase: 'before' })).status,
    ).toBe(200);
    await kiosk.sim('POST', `/control/transactions/${p.providerRef}/approve`);
    const done = await kiosk.waitFor(p.id, (x) => x.status !== 'pending', 3000);
    expect(done.status).toBe('succeeded');
    const ipn = async () => (await kiosk.sim('GET', `/control/transactions/${p.providerRef}`)).body.ipn;
    await expect.poll(ipn, { timeout: 3000 }).toMatchObject({ delivered: true, attempts: 2 });
    await expect
      .poll(() => getWebhookEvent(db(), 'pockyt', `${p.providerRef}:success`), { timeout: 3000 })
      .toMatchObject({ outcome: 'applied', duplicates: 1 });
  });

  it('never marks paid when Pockyt’s confirmed amount differs from ours; raises it for staff instead', async () => {
    const p = await pendingPayment(1700);
    // Test setup: our record asks for one cent more than the transaction Pockyt holds.
    await db().updateTable('payments').set({ amount_value: 1701 }).where('id', '=', p.id).execute();
    await kiosk.sim('POST', `/control/transactions/${p.providerRef}/approve`);
    const flagged = await kiosk.waitFor(p.id, (x) => x.needsAttention, 3000);
    expect(flagged.status).toBe('pending');
    // The IPN's row gets its outcome just after the flag it raised is committed (and visible).
    await expect
      .poll(() => getWebhookEvent(db(), 'pockyt', `${p.providerRef}:success`), { timeout: 2000 })
      .toMatchObject({ outcome: 'amount_mismatch' });
    const list = await kiosk.request('GET', '/api/attention');
    expect(list.body.items.find((i: { payment: { id: string } }) => i.payment.id === p.id)).toMatchObject({ reason: 'amount_mismatch' });
  });

  it('records a capture that lands after expiry as succeeded + late and lists it for staff', async () => {
    const p = await pendingPayment(1600);
    // The reconciler had concluded the window closed unpaid (as when Pockyt reports `closed`).
    await applyTransition(db(), server.app.kiosk.bus, {
      paymentId: p.id,
      to: 'expired',
      source: 'reconciler',
      raw: { test: 'window closed' },
    });
    await kiosk.sim('POST', `/control/transactions/${p.providerRef}/approve`);
    const done = await kiosk.waitFor(p.id, (x) => x.status !== 'expired', 3000);
    expect(done).toMatchObject({ status: 'succeeded', late: true, needsAttention: true });
    const list = await kiosk.request('GET', '/api/attention');
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { payment: { id: string } }) => i.payment.id === p.id);
    expect(item).toMatchObject({
      reason: 'late_payment',
      providerRef: p.providerRef,
      actions: ['recheck', 'void', 'refund', 'acknowledge'],
    });
    expect(item.message).toMatch(/\S/);
  });

  it('does not let the `closed` IPN caused by our own cancel overtake the cancel’s answer', async () => {
    const p = await pendingPayment(1800);
    // Pockyt closes the transaction (and sends the IPN) at once but answers our cancel only once the IPN has
    // been handled (let go then, not after a fixed time: a busy machine can take longer to deliver it).
    await kiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/cancel', kind: 'delay', phase: 'after', ms: 4000 });
    const cancelling = kiosk.cancel(p.id);
    let row;
    try {
      const until = Date.now() + 3500;
      row = await getWebhookEvent(db(), 'pockyt', `${p.providerRef}:closed`);
      while ((!row || row.outcome === 'processing') && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
        row = await getWebhookEvent(db(), 'pockyt', `${p.providerRef}:closed`);
      }
    } finally {
      await kiosk.sim('POST', '/control/faults/release');
    }
    // Pockyt's `closed` alone would read as `expired` (window passed); the cancel knows it was a cancel.
    expect(row?.outcome).toBe('deferred');
    expect((await cancelling).body.status).toBe('cancelled');
    expect((await kiosk.get(p.id)).body.status).toBe('cancelled');
  });

  it('answers 404 on /webhooks for a provider we do not take notifications from', async () => {
    const r = await fetch(`${server.baseUrl}/webhooks/unknown`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(r.status).toBe(404);
  });
});
