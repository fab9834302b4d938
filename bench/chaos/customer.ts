// One sale as the kiosk and the customer play it: the kiosk journals an Idempotency-Key and re-sends the same
// attempt until the proxy answers (it may be dead or restarting), follows the payment until it is final, and
// after a decline/expiry tries once more with a new key (a new attempt). The customer approves, declines or
// ignores the charge on their phone, or pays the merchant QR — through the simulator's control routes —
// sometimes at the very moment the cashier presses Cancel. Once paid, a supervisor may refund or void it
// (staff.ts).
import { randomUUID } from 'node:crypto';
import type { PaymentView } from '../../src/shared/api.ts';
import { isOpen, type PaymentMode, type ProviderName } from '../../src/shared/payment.ts';
import { providerReference } from '../../server/payments/reference.ts';
import { control, ledgerOf } from '../lib/sims.ts';
import { api, sleep, type ChaosContext } from './kiosk-api.ts';
import {
  between,
  cancelRacesApproval,
  pickScenario,
  pickStaffPlan,
  STORE,
  testCode,
  walletPaths,
  type Rng,
  type Scenario,
} from './plan.ts';
import { supervisor, type StaffRun } from './staff.ts';

export interface Attempt {
  provider: ProviderName;
  mode: PaymentMode;
  scenario: Scenario;
  key: string;
  reference: string;
  body: Record<string, unknown>;
  paymentId: string | null;
  /** Times the kiosk had to re-send the same attempt (proxy down, no answer). */
  resends: number;
  lastStatus: string | null;
  /** The cashier pressed Cancel at the moment the customer approved. */
  cancelRace: boolean;
  /** When the kiosk first saw the payment final (epoch ms). */
  finalAt?: number;
}

export interface Sale {
  orderId: string;
  provider: ProviderName;
  attempts: Attempt[];
  /** What a supervisor did once the sale was paid (plan 'none' if it never was). */
  staff: StaffRun | null;
  /** When the kiosk, the customer and the staff were all done with it (epoch ms). */
  endedAt?: number;
}

/** POST the attempt until the proxy answers with the payment (same key every time). */
export async function sendAttempt(ctx: ChaosContext, a: Attempt, until: number): Promise<PaymentView | null> {
  const t = ctx.terminals[a.provider];
  for (;;) {
    const r = await api(ctx, t, 'POST', '/api/payments', { body: a.body, key: a.key });
    if (r && (r.status === 200 || r.status === 201)) {
      a.paymentId = r.body.id;
      a.lastStatus = r.body.status;
      return r.body as PaymentView;
    }
    if (r && r.status < 500 && r.status !== 429) throw new Error(`attempt ${a.key}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    if (Date.now() > until) return null;
    a.resends++;
    await sleep(250);
  }
}

async function follow(ctx: ChaosContext, a: Attempt): Promise<PaymentView | null> {
  const t = ctx.terminals[a.provider];
  while (Date.now() < ctx.deadline) {
    const r = await api(ctx, t, 'GET', `/api/payments/${a.paymentId}`);
    if (r?.status === 200) {
      a.lastStatus = r.body.status;
      if (!isOpen(r.body.status)) {
        a.finalAt = Date.now();
        return r.body as PaymentView;
      }
    }
    await sleep(400);
  }
  return null;
}

/** The customer's phone sees the pending charge (by our reference) and acts on it. */
async function customer(ctx: ChaosContext, a: Attempt, r: Rng, view: PaymentView | null): Promise<void> {
  const act =
    a.scenario === 'wallet_approve' ? 'approve' : a.scenario === 'wallet_decline' ? 'decline' : a.scenario === 'qr_pay' ? 'pay' : null;
  if (!act) return;
  // A merchant QR can only be paid if the kiosk could show it.
  if (act === 'pay' && !view?.qr) return;
  await sleep(between(r, 200, 1500));
  const ctl = ctx.controls[a.provider];
  for (let i = 0; i < 20 && Date.now() < ctx.deadline; i++) {
    const entry = (await ledgerOf(ctl).catch(() => [])).find((e) => e.reference === a.reference);
    if (entry) {
      const approve = control(ctl, 'POST', walletPaths(a.provider, entry.providerRef)[act]).catch(() => null);
      await Promise.all([approve, a.cancelRace ? pressCancel(ctx, a) : null]);
      return;
    }
    await sleep(250);
  }
}

/** The customer walked away: the cashier presses Cancel after a few seconds (pressing again if the proxy was
 *  down). A merchant QR would otherwise stay payable for its full lifetime at the provider (Pockyt: minutes). */
async function cashierCancels(ctx: ChaosContext, a: Attempt, r: Rng): Promise<void> {
  await sleep(between(r, 1500, 4000));
  await pressCancel(ctx, a);
}

async function pressCancel(ctx: ChaosContext, a: Attempt): Promise<void> {
  const t = ctx.terminals[a.provider];
  while (Date.now() < ctx.deadline) {
    const res = await api(ctx, t, 'POST', `/api/payments/${a.paymentId}/cancel`);
    if (res && res.status < 500) return;
    await sleep(300);
  }
}

export async function runSale(ctx: ChaosContext, provider: ProviderName, mode: PaymentMode, r: Rng, value: number): Promise<Sale> {
  const sale: Sale = { orderId: `chaos-${randomUUID()}`, provider, attempts: [], staff: null };
  // The customer's phone and the cashier act beside the kiosk; the sale is over when they are done too.
  const beside: Promise<void>[] = [];
  try {
    await attempts(ctx, sale, mode, r, value, beside);
  } finally {
    await Promise.all(beside);
    sale.endedAt = Date.now();
  }
  return sale;
}

async function attempts(ctx: ChaosContext, sale: Sale, mode: PaymentMode, r: Rng, value: number, beside: Promise<void>[]): Promise<void> {
  const { provider } = sale;
  for (let n = 0; n < 2; n++) {
    const scenario = pickScenario(r, mode, n > 0);
    let code: string | undefined;
    if (mode === 'cpm') {
      code = scenario.startsWith('wallet_')
        ? (await control(ctx.controls[provider], 'POST', '/codes', provider === 'pockyt' ? { vendor: 'alipay' } : {})).body.code
        : testCode(r, provider, scenario as 'instant' | 'delayed' | 'decline');
    }
    const key = randomUUID();
    const amount = { value, currency: STORE[provider].currency };
    const body =
      mode === 'cpm'
        ? { orderId: sale.orderId, amount, mode, code }
        : { orderId: sale.orderId, amount, mode, provider, ...(provider === 'pockyt' ? { vendor: 'alipay' } : {}) };
    const a: Attempt = {
      provider,
      mode,
      scenario,
      key,
      reference: providerReference(ctx.terminals[provider].terminalId, key),
      body,
      paymentId: null,
      resends: 0,
      lastStatus: null,
      cancelRace: cancelRacesApproval(r, scenario),
    };
    sale.attempts.push(a);
    const view = await sendAttempt(ctx, a, ctx.deadline);
    if (!view) return;
    beside.push(customer(ctx, a, r, view));
    if (a.scenario === 'qr_ignore' || (a.scenario === 'wallet_ignore' && r() < 0.5)) beside.push(cashierCancels(ctx, a, r));
    const final = await follow(ctx, a);
    if (!final) return;
    if (final.status === 'succeeded') {
      sale.staff = await supervisor(ctx, final, pickStaffPlan(r), r);
      return;
    }
  }
}
