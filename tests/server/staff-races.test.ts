// Money-moving staff actions racing each other on one paid payment (issue 9 item 1), on every provider that
// can void and refund. The overlap is forced, not hoped for: a simulator fault holds one action's provider
// call (before the provider processes it, or after it committed but before it answers) and the other action
// is sent while the first is held. Whatever wins, afterwards our books equal the provider's ledger (status and
// money returned), there is one applied event row per change, and nothing is left flagged or half-done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import type { SimLedgerEntry } from '../../sandbox/common/ledger.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order, type Reply } from './helpers/kiosk.ts';
import { CENTRAPAY_FAST, PAYBY_FAST } from './helpers/providers.ts';
import { recheck, refund, voidPayment } from './helpers/staff.ts';

type Provider = 'pockyt' | 'centrapay' | 'payby';

interface Case {
  provider: Provider;
  currency: string;
  voidPath: string;
  refundPath: string;
  /** What the cashier's cancel of an open payment sends first. */
  cancelPath: string;
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

const CASES: Case[] = [
  {
    provider: 'pockyt',
    currency: 'USD',
    voidPath: '/app-data-search/v3/cancel',
    refundPath: '/app-data-search/v3/refund',
    cancelPath: '/app-data-search/v3/cancel',
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
    waiting: (k, value) => waitingFor(k, 'payby', 'AED', value),
    approve: (k, ref) => k.request('POST', `/sim/payby/control/orders/${ref}/approve`, { auth: false }),
    async paid(k, value) {
      const r = await k.pay({ orderId: order(), amount: { value, currency: 'AED' }, mode: 'cpm', code: 'OK0000000001' });
      expect(r.body.status).toBe('succeeded');
      return r.body;
    },
  },
];

beforeAll(async () => {
  // Notifications stay on: a provider's webhook racing the staff action's own answer is part of the race.
  const [pockyt, centrapay, payby] = await Promise.all([
    // Holds below are up to 2.5 s; FAST_ENV's 2 s Pockyt timeout would turn them into lost answers.
    startServer({ POCKYT_TIMEOUT_MS: '5000' }),
    startServer(CENTRAPAY_FAST, { store: 'demo-nz' }),
    startServer({ ...PAYBY_FAST, SIM_PAYBY_REFUND_COMPLETE_MS: '200' }, { store: 'demo-ae' }),
  ]);
  for (const [c, s] of [
    [CASES[0], pockyt],
    [CASES[1], centrapay],
    [CASES[2], payby],
  ] as const) {
    c.server = s;
    c.kiosk = new Kiosk(s.baseUrl, s.token);
  }
});
afterAll(async () => {
  await Promise.all(CASES.flatMap((c) => (c.server ? [c.server.close()] : [])));
});

const faults = (c: Case) => `/sim/${c.provider}/control/faults`;

// Holds are 1.5 s and more: the second action must reach its check while the first is held, and a request
// with a supervisor PIN (a deliberately slow hash) can take a while on a loaded machine.

/** Holds the next call to `path` at the simulator for `ms`, before it is processed or after it committed. */
async function hold(c: Case, path: string, phase: 'before' | 'after', ms: number): Promise<void> {
  const r = await c.kiosk!.request('POST', faults(c), { body: { path, kind: 'delay', phase, ms }, auth: false });
  expect(r.status).toBe(200);
}

/** Resolves once the simulator has taken the held call's fault: the call is at the provider, being held. */
async function untilHeld(c: Case, path: string): Promise<void> {
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const r = await c.kiosk!.request('GET', faults(c), { auth: false });
    if (!(r.body as { path: string }[]).some((f) => f.path === path)) return;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`${c.provider}: ${path} never reached the simulator`);
}

async function clearFaults(c: Case): Promise<void> {
  await c.kiosk!.request('DELETE', faults(c), { auth: false });
}

async function ledgerOf(c: Case, providerRef: string): Promise<SimLedgerEntry> {
  const r = await c.kiosk!.request('GET', `/sim/${c.provider}/control/ledger`, { auth: false });
  const e = (r.body.items as SimLedgerEntry[]).find((x) => x.providerRef === providerRef);
  if (!e) throw new Error(`${c.provider} has no transaction ${providerRef}`);
  return e;
}

/** Our books against the provider's ledger: the money returned, and the status that amount means. */
async function expectBooksEqualProvider(c: Case, paymentId: string): Promise<{ status: string; back: number }> {
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
async function changesSincePaid(c: Case, paymentId: string): Promise<string[]> {
  const changes = (await listPaymentEvents(c.server!.app.kiosk.db, paymentId))
    .filter((e) => e.applied && e.from !== e.to)
    .map((e) => `${e.from}>${e.to}`);
  return changes.slice(changes.findIndex((x) => x.endsWith('>succeeded')));
}

/** Lets every follow-up, notification and retry that could still change the payment run, then checks it
 *  did not: the outcome is settled, not just the state at one moment. */
async function settled(c: Case, paymentId: string): Promise<void> {
  const before = (await c.kiosk!.get(paymentId)).body;
  await new Promise((res) => setTimeout(res, 1200));
  const after = (await c.kiosk!.get(paymentId)).body;
  expect(after).toEqual(before);
  expect(after.needsAttention).toBe(false);
}

describe.each(CASES)('$provider: void and refund of one paid payment at the same time', (c) => {
  it('the refund arrives while the void is committed at the provider but not answered yet', async () => {
    const p = await c.paid(c.kiosk!, 1000);
    let r: Reply;
    let v: Reply;
    try {
      await hold(c, c.voidPath, 'after', 1500);
      // If the refund got through to the provider, it would get there only after the void's answer is back.
      await hold(c, c.refundPath, 'before', 2200);
      const voiding = voidPayment(c.kiosk!, p.id);
      await untilHeld(c, c.voidPath);
      r = await refund(c.kiosk!, p.id, 400, c.currency);
      v = await voiding;
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect([v.status, v.body.status]).toEqual([200, 'reversed']);
    expect([r.status, r.body.error?.code]).toEqual([409, 'action_in_progress']);
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });

  it('the refund is sent while the void is on its way to the provider', async () => {
    const p = await c.paid(c.kiosk!, 1000);
    let r: Reply;
    let v: Reply;
    try {
      await hold(c, c.voidPath, 'before', 1500);
      const voiding = voidPayment(c.kiosk!, p.id);
      await untilHeld(c, c.voidPath);
      r = await refund(c.kiosk!, p.id, 400, c.currency);
      v = await voiding;
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect([v.status, v.body.status]).toEqual([200, 'reversed']);
    expect([r.status, r.body.error?.code]).toEqual([409, 'action_in_progress']);
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });

  it('the void is sent while the refund is committed at the provider but not answered yet', async () => {
    const p = await c.paid(c.kiosk!, 1000);
    let refunding: ReturnType<typeof refund>;
    try {
      await hold(c, c.refundPath, 'after', 1500);
      refunding = refund(c.kiosk!, p.id, 400, c.currency);
      await untilHeld(c, c.refundPath);
      const v = await voidPayment(c.kiosk!, p.id);
      expect(v.status).toBe(409);
      expect(v.body.error.code).toBe('void_not_allowed');
      const r = await refunding;
      expect(r.status).toBe(201);
      expect(r.body.refund.status).toBe('succeeded');
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'partially_refunded', back: 400 });
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>partially_refunded']);
    await settled(c, p.id);
  });

  it('two voids at once: one reversal at the provider, the other is told the first is running', async () => {
    const p = await c.paid(c.kiosk!, 1000);
    try {
      await hold(c, c.voidPath, 'before', 1500);
      const first = voidPayment(c.kiosk!, p.id);
      await untilHeld(c, c.voidPath);
      const second = await voidPayment(c.kiosk!, p.id);
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('action_in_progress');
      expect((await first).body.status).toBe('reversed');
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });
});

describe.each(CASES)('$provider: the cashier cancels as the customer pays, and a refund is sent meanwhile', (c) => {
  // The cancel reaches the provider after the capture, so the provider returns the money; the full refund
  // sent meanwhile then finds nothing left and is refused. While that refund was open it explained the
  // provider's reversal; once refused, it no longer does — the books must still end with the money back.
  it('ends reversed with the money back, in our books as at the provider', async () => {
    const p = await c.waiting(c.kiosk!, 1000);
    try {
      // Held long enough for the customer, the re-check and the refund to get in first.
      await hold(c, c.cancelPath, 'before', 1500);
      const cancelling = c.kiosk!.cancel(p.id);
      await untilHeld(c, c.cancelPath);
      expect((await c.approve(c.kiosk!, p.providerRef!)).status).toBe(200);
      expect((await recheck(c.kiosk!, p.id)).body.status).toBe('succeeded');
      await hold(c, c.refundPath, 'before', 2500);
      const r = await refund(c.kiosk!, p.id, 1000, c.currency);
      await cancelling;
      expect([r.status, r.body.refund?.status ?? r.body.error]).toEqual([201, 'failed']);
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });
});
