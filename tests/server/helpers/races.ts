// Forcing races between money-moving actions on one payment, on every provider that can void and refund
// (staff-races, cancel-races): a simulator fault holds one action's provider call (before the provider
// processes it, or after it committed but before it answers) while the other action is sent, and afterwards
// our books are compared with the provider's ledger.
import { expect } from 'vitest';
import { testPatronCode } from '../../../sandbox/centrapay/scenarios.ts';
import type { SimLedgerEntry } from '../../../sandbox/common/ledger.ts';
import { listPaymentEvents } from '../../../server/store/events.ts';
import { startServer, type TestServer } from './app.ts';
import { alipayTestCode, Kiosk, order, type Reply } from './kiosk.ts';
import { CENTRAPAY_FAST, PAYBY_FAST } from './providers.ts';

export type Provider = 'pockyt' | 'centrapay' | 'payby';

export interface Case {
  provider: Provider;
  currency: string;
  voidPath: string;
  refundPath: string;
  /** What the cashier's cancel of an open payment sends first. */
  cancelPath: string;
  /** The call that returns the money when that cancel finds the payment paid (PayBy: a second call, revokeOrder). */
  cancelReversalPath: string;
  server?: TestServer;
  kiosk?: Kiosk;
  paid(k: Kiosk, value: number): Promise<{ id: string; providerRef: string | null }>;
  /** A payment waiting for the customer (a wallet-issued code), and the customer approving it. */
  waiting(k: Kiosk, value: number): Promise<{ id: string; providerRef: string | null }>;
  approve(k: Kiosk, providerRef: string): Promise<Reply>;
}

async function waitingFor(k: Kiosk, provider: Provider, currency: string, value: number) {
  const code =
    provider === 'pockyt'
      ? await k.walletCode()
      : (await k.request('POST', `/sim/${provider}/control/codes`, { body: {}, auth: false })).body.code;
  const r = await k.pay({ orderId: order(), amount: { value, currency }, mode: 'cpm', code });
  expect(r.body.status).toBe('pending');
  return r.body;
}

/** One case per provider; each test file gets its own (they carry that file's servers). */
export function raceCases(): Case[] {
  return [
    {
      provider: 'pockyt',
      currency: 'USD',
      voidPath: '/app-data-search/v3/cancel',
      refundPath: '/app-data-search/v3/refund',
      cancelPath: '/app-data-search/v3/cancel',
      cancelReversalPath: '/app-data-search/v3/cancel',
      waiting: (k, value) => waitingFor(k, 'pockyt', 'USD', value),
      approve: (k, ref) => k.request('POST', `/sim/pockyt/control/transactions/${ref}/approve`, { auth: false }),
      async paid(k, value) {
        const r = await k.pay({ orderId: order(), amount: { value, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
        expect(r.body.status).toBe('succeeded');
        return r.body;
      },
    },
    {
      provider: 'centrapay',
      currency: 'NZD',
      voidPath: '/api/payment-requests/:paymentRequestId/void',
      refundPath: '/api/payment-requests/:paymentRequestId/refund',
      cancelPath: '/api/payment-requests/:paymentRequestId/void',
      cancelReversalPath: '/api/payment-requests/:paymentRequestId/void',
      waiting: (k, value) => waitingFor(k, 'centrapay', 'NZD', value),
      approve: (k, ref) => k.request('POST', `/sim/centrapay/control/requests/${ref}/approve`, { auth: false }),
      async paid(k, value) {
        const r = await k.pay({ orderId: order(), amount: { value, currency: 'NZD' }, mode: 'cpm', code: testPatronCode('0001') });
        return k.waitFor(r.body.id, (p) => p.status === 'succeeded', 4000);
      },
    },
    {
      provider: 'payby',
      currency: 'AED',
      voidPath: '/acquire2/revokeOrder',
      refundPath: '/acquire2/refund/placeOrder',
      cancelPath: '/acquire2/cancelOrder',
      cancelReversalPath: '/acquire2/revokeOrder',
      waiting: (k, value) => waitingFor(k, 'payby', 'AED', value),
      approve: (k, ref) => k.request('POST', `/sim/payby/control/orders/${ref}/approve`, { auth: false }),
      async paid(k, value) {
        const r = await k.pay({ orderId: order(), amount: { value, currency: 'AED' }, mode: 'cpm', code: 'OK0000000001' });
        expect(r.body.status).toBe('succeeded');
        return r.body;
      },
    },
  ];
}

/** A server per case. Notifications stay on: a provider's webhook racing an action's own answer is part of
 *  the race. */
export async function startCaseServers(cases: Case[]): Promise<void> {
  const servers = await Promise.all([
    // Holds are up to 2.5 s; FAST_ENV's 2 s Pockyt timeout would turn them into lost answers.
    startServer({ POCKYT_TIMEOUT_MS: '5000' }),
    startServer(CENTRAPAY_FAST, { store: 'demo-nz' }),
    startServer({ ...PAYBY_FAST, SIM_PAYBY_REFUND_COMPLETE_MS: '200' }, { store: 'demo-ae' }),
  ]);
  cases.forEach((c, i) => {
    c.server = servers[i]!;
    c.kiosk = new Kiosk(c.server.baseUrl, c.server.token);
  });
}

const faults = (c: Case) => `/sim/${c.provider}/control/faults`;

// A held call is let go by release() once the race has been run, not after a fixed time: the second action
// must reach its check while the first is held, and a request with a supervisor PIN (a deliberately slow
// hash) can take a while on a loaded machine.

/** Holds the next call to `path` at the simulator for `ms`, before it is processed or after it committed. */
export async function hold(c: Case, path: string, phase: 'before' | 'after', ms: number): Promise<void> {
  const r = await c.kiosk!.request('POST', faults(c), { body: { path, kind: 'delay', phase, ms }, auth: false });
  expect(r.status).toBe(200);
}

/** The next call to `path` is processed (committed) at the provider, and its answer never reaches us. */
export async function loseAnswer(c: Case, path: string): Promise<void> {
  const r = await c.kiosk!.request('POST', faults(c), { body: { path, kind: 'drop', phase: 'after' }, auth: false });
  expect(r.status).toBe(200);
}

/** Resolves once the simulator has taken the held call's delay: the call is at the provider, being held. */
export async function untilHeld(c: Case, path: string): Promise<void> {
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const r = await c.kiosk!.request('GET', faults(c), { auth: false });
    if (!(r.body as { path: string; kind: string }[]).some((f) => f.path === path && f.kind === 'delay')) return;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`${c.provider}: ${path} never reached the simulator`);
}

export async function clearFaults(c: Case): Promise<void> {
  await c.kiosk!.request('DELETE', faults(c), { auth: false });
}

/** How long a call is held while a test runs its race against it: below every adapter's timeout in these
 *  suites (Pockyt 5 s), and far above what the contested action needs even on a loaded machine (1.5 s was
 *  not: the soak saw a refund answered after the held void had been let go). */
export const HOLD_MS = 4_000;

/** Lets go of the calls being held, once the contested action has its answer; the faults still armed (a lost
 *  answer for the held call's 'after' step) stay. */
export async function release(c: Case): Promise<void> {
  const r = await c.kiosk!.request('POST', `${faults(c)}/release`, { auth: false });
  expect(r.status).toBe(200);
}

async function ledgerOf(c: Case, providerRef: string): Promise<SimLedgerEntry> {
  const r = await c.kiosk!.request('GET', `/sim/${c.provider}/control/ledger`, { auth: false });
  const e = (r.body.items as SimLedgerEntry[]).find((x) => x.providerRef === providerRef);
  if (!e) throw new Error(`${c.provider} has no transaction ${providerRef}`);
  return e;
}

/** Our books against the provider's ledger: the money returned, and the status that amount means. */
export async function expectBooksEqualProvider(c: Case, paymentId: string): Promise<{ status: string; back: number }> {
  const p = (await c.kiosk!.get(paymentId)).body;
  const e = await ledgerOf(c, p.providerRef!);
  const back = p.status === 'reversed' ? p.amount.value : p.refundedAmount.value;
  const statusFor = (refunded: number) =>
    refunded === 0 ? ['succeeded'] : refunded < e.amountMinor ? ['partially_refunded'] : ['reversed', 'refunded'];
  expect({ captured: e.captured, back }).toEqual({ captured: true, back: e.refundedMinor });
  expect(statusFor(e.refundedMinor)).toContain(p.status);
  return { status: p.status, back };
}

/** The status changes recorded since the payment was paid, one applied event row each. */
export async function changesSincePaid(c: Case, paymentId: string): Promise<string[]> {
  const changes = (await listPaymentEvents(c.server!.app.kiosk.db, paymentId))
    .filter((e) => e.applied && e.from !== e.to)
    .map((e) => `${e.from}>${e.to}`);
  return changes.slice(changes.findIndex((x) => x.endsWith('>succeeded')));
}

/** Lets every follow-up, notification and retry that could still change the payment run, then checks it
 *  did not: the outcome is settled, not just the state at one moment. */
export async function settled(c: Case, paymentId: string): Promise<void> {
  const before = (await c.kiosk!.get(paymentId)).body;
  await new Promise((res) => setTimeout(res, 1200));
  const after = (await c.kiosk!.get(paymentId)).body;
  expect(after).toEqual(before);
  expect(after.needsAttention).toBe(false);
}
