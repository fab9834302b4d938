// A supervisor at the kiosk after a sale was paid: partial and full refunds, a void, and the two races that
// must not lose money — a void sent together with a refund, and two refunds that cannot both fit. Each request
// carries the supervisor PIN (X-Staff-Pin); a refund keeps its Idempotency-Key across resends, so re-sending
// after no answer (proxy killed) is the same refund, never a second one. A void has no key: re-sending it is
// what a cashier does, and the proxy must refuse the second one once the first went through.
import { randomUUID } from 'node:crypto';
import type { PaymentView } from '../../src/shared/api.ts';
import { api, resendDelayMs, shouldResend, sleep, type ChaosContext, type Reply } from './kiosk-api.ts';
import { between, type Rng, type StaffPlan } from './plan.ts';

/** One staff request and how the proxy answered it, e.g. "refund 400 → 201 succeeded". */
export interface StaffStep {
  paymentId: string;
  action: 'refund' | 'void';
  amount?: number;
  /** HTTP status and, for errors, the error code; 'no answer' when the deadline passed first. */
  outcome: string;
  resends: number;
  /** When the answer that ended it came (epoch ms). */
  endedAt?: number;
  /** What each answer that made the supervisor send it again was, e.g. "503 ×2, no answer ×1". */
  resentOn?: string;
}

export interface StaffRun {
  plan: StaffPlan;
  steps: StaffStep[];
}

function outcomeOf(r: Reply | null, action: StaffStep['action']): string {
  if (!r) return 'no answer';
  if (r.body?.error?.code) return `${r.status} ${r.body.error.code}`;
  if (action === 'refund') return `${r.status} ${r.body?.refund?.status ?? '?'}`;
  return `${r.status} ${r.body?.status ?? '?'}`;
}

async function send(ctx: ChaosContext, p: PaymentView, step: StaffStep, request: () => Promise<Reply | null>): Promise<StaffStep> {
  let r = await request();
  const why = new Map<string, number>();
  while (shouldResend(r) && Date.now() < ctx.deadline) {
    const reason = outcomeOf(r, step.action);
    why.set(reason, (why.get(reason) ?? 0) + 1);
    await sleep(resendDelayMs(r, ctx.deadline));
    step.resends++;
    r = await request();
  }
  step.resentOn = [...why].map(([k, n]) => `${k} ×${n}`).join(', ');
  step.outcome = outcomeOf(r, step.action);
  step.endedAt = Date.now();
  return step;
}

export function refund(ctx: ChaosContext, p: PaymentView, value: number): Promise<StaffStep> {
  const key = randomUUID();
  const t = ctx.terminals[p.provider];
  const step: StaffStep = { paymentId: p.id, action: 'refund', amount: value, outcome: '', resends: 0 };
  return send(ctx, p, step, () =>
    api(ctx, t, 'POST', `/api/payments/${p.id}/refunds`, {
      body: { amount: { value, currency: p.amount.currency } },
      key,
      headers: { 'x-staff-pin': ctx.pin },
    }),
  );
}

export function voidPayment(ctx: ChaosContext, p: PaymentView): Promise<StaffStep> {
  const t = ctx.terminals[p.provider];
  const step: StaffStep = { paymentId: p.id, action: 'void', outcome: '', resends: 0 };
  return send(ctx, p, step, () => api(ctx, t, 'POST', `/api/payments/${p.id}/void`, { headers: { 'x-staff-pin': ctx.pin } }));
}

/** Carries out `plan` on a payment the kiosk saw paid, a moment after the sale (0.3–3 s). */
export async function supervisor(ctx: ChaosContext, p: PaymentView, plan: StaffPlan, r: Rng): Promise<StaffRun> {
  const run: StaffRun = { plan, steps: [] };
  if (plan === 'none') return run;
  await sleep(between(r, 300, 3000));
  const total = p.amount.value;
  const part = () => between(r, 1, total - 1);
  switch (plan) {
    case 'partial':
      run.steps.push(await refund(ctx, p, part()));
      break;
    case 'partial_then_rest': {
      const first = part();
      run.steps.push(await refund(ctx, p, first));
      await sleep(between(r, 200, 2000));
      run.steps.push(await refund(ctx, p, total - first));
      break;
    }
    case 'full_refund':
      run.steps.push(await refund(ctx, p, total));
      break;
    case 'void':
      run.steps.push(await voidPayment(ctx, p));
      break;
    case 'void_vs_refund':
      run.steps.push(...(await Promise.all([voidPayment(ctx, p), refund(ctx, p, part())])));
      break;
    case 'refunds_race': {
      const each = Math.ceil(total * 0.6);
      run.steps.push(...(await Promise.all([refund(ctx, p, each), refund(ctx, p, each)])));
      break;
    }
  }
  return run;
}
