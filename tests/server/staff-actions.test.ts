// Staff actions from the "Needs attention" list against the real Pockyt simulator: re-check now (through the
// one write path), void a late payment (money back at Pockyt, flag cleared), acknowledge a flag, and a void
// whose answer is lost (never sent twice; confirmed by query).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTransition } from '../../server/payments/transition.ts';
import { listAudit } from '../../server/store/audit.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { acknowledge, DEMO_PIN, recheck, voidPayment } from './helpers/staff.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  // The reconciler waits a minute between checks: whatever happens here is the staff action's doing.
  server = await startServer({ ...NO_IPN, POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' });
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });
const sim = (path: string) => kiosk.sim('GET', path);

/** A payment Pockyt captured after we had recorded `expired`, found by a re-check: late + flagged. */
async function latePayment(value: number) {
  const r = await kiosk.pay({ orderId: order(), amount: usd(value), mode: 'cpm', code: await kiosk.walletCode() });
  expect(r.body.status).toBe('pending');
  await applyTransition(server.app.kiosk.db, server.app.kiosk.bus, {
    paymentId: r.body.id,
    to: 'expired',
    source: 'reconciler',
    raw: { test: true },
  });
  await kiosk.sim('POST', `/control/transactions/${r.body.providerRef}/approve`);
  const checked = await recheck(kiosk, r.body.id);
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({ status: 'succeeded', late: true, needsAttention: true });
  return checked.body;
}

describe('re-check', () => {
  it('asks the provider now and applies its answer as a cashier event', async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(1100), mode: 'cpm', code: await kiosk.walletCode() });
    expect(r.body.status).toBe('pending');
    await kiosk.sim('POST', `/control/transactions/${r.body.providerRef}/approve`);
    expect((await kiosk.get(r.body.id)).body.status).toBe('pending');
    const checked = await recheck(kiosk, r.body.id);
    expect(checked.body.status).toBe('succeeded');
    const last = (await listPaymentEvents(server.app.kiosk.db, r.body.id)).filter((e) => e.applied).at(-1);
    expect(last).toMatchObject({ source: 'cashier', to: 'succeeded' });
    expect((await listAudit(server.app.kiosk.db, { paymentId: r.body.id })).map((a) => [a.action, a.outcome])).toEqual([
      ['recheck', 'succeeded'],
    ]);
  });

  it('a provider that does not answer is a 502 and changes nothing', async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(1200), mode: 'cpm', code: await kiosk.walletCode() });
    await kiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/tran-query', kind: 'http500', phase: 'before' });
    const checked = await recheck(kiosk, r.body.id);
    expect(checked.status).toBe(502);
    expect(checked.body.error.code).toBe('provider_not_answering');
    expect((await kiosk.get(r.body.id)).body.status).toBe('pending');
    await kiosk.cancel(r.body.id);
  });
});

describe('needs attention → staff actions', () => {
  it('lists the actions that exist, with their routes; a void through the listed route returns the money and clears the flag', async () => {
    const p = await latePayment(2100);
    const list = await kiosk.request('GET', '/api/attention');
    const item = list.body.items.find((i: any) => i.payment.id === p.id);
    expect(item.actions).toEqual(['recheck', 'void', 'refund', 'acknowledge']);
    expect(item.routes.void).toEqual({ method: 'POST', path: `/api/payments/${p.id}/void`, supervisorPin: true });
    expect(item.routes.refund.path).toBe(`/api/payments/${p.id}/refunds`);
    expect(item.routes.recheck.supervisorPin).toBe(false);
    const voided = await kiosk.request('POST', item.routes.void.path, { headers: { 'x-staff-pin': DEMO_PIN } });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'reversed', needsAttention: false });
    expect((await sim(`/control/transactions/${p.providerRef}`)).body).toMatchObject({ status: 'success', refundAmount: '21.00' });
    const after = await kiosk.request('GET', '/api/attention');
    expect(after.body.items.map((i: any) => i.payment.id)).not.toContain(p.id);
    // Voiding twice is refused, and moves nothing more.
    expect((await voidPayment(kiosk, p.id)).status).toBe(409);
    expect((await sim(`/control/transactions/${p.providerRef}`)).body.refunds).toHaveLength(1);
  });

  it('acknowledge clears the flag of a late payment the sale kept, and is audited', async () => {
    const p = await latePayment(2200);
    const r = await acknowledge(kiosk, p.id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'succeeded', needsAttention: false, late: true });
    const audit = await listAudit(server.app.kiosk.db, { paymentId: p.id });
    expect(audit.at(-1)).toMatchObject({ action: 'acknowledge', outcome: 'cleared', staff: { role: 'supervisor' } });
    expect((await sim(`/control/transactions/${p.providerRef}`)).body.refundAmount).toBe('0.00');
  });

  it('a void whose answer is lost is not repeated: 202, flagged, then confirmed by query', async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(2300), mode: 'cpm', code: alipayTestCode('0001') });
    await kiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/cancel', kind: 'drop', phase: 'after' });
    const v = await voidPayment(kiosk, r.body.id);
    expect(v.status).toBe(202);
    expect(v.body).toMatchObject({ status: 'succeeded', needsAttention: true });
    const item = (await kiosk.request('GET', '/api/attention')).body.items.find((i: any) => i.payment.id === r.body.id);
    expect(item.reason).toBe('void_unconfirmed');
    const done = await kiosk.waitFor(r.body.id, (p) => p.status === 'reversed', 8000);
    expect(done.needsAttention).toBe(false);
    const txn = (await sim(`/control/transactions/${r.body.providerRef}`)).body;
    expect(txn.refunds).toHaveLength(1);
    expect(txn.refundAmount).toBe('23.00');
  });

  it('an open payment cannot be acknowledged away', async () => {
    const r = await kiosk.pay({ orderId: order(), amount: usd(2400), mode: 'cpm', code: await kiosk.walletCode() });
    const a = await acknowledge(kiosk, r.body.id);
    expect(a.status).toBe(409);
    expect(a.body.error.code).toBe('payment_open');
    await kiosk.cancel(r.body.id);
  });
});
