// Refunds (DESIGN §5, §6): a supervisor refunds part or all of a paid payment. The order of steps is the
// money-safety argument, as for payments: validate → commit a `created` refund row (with the amount checked
// against what is left, under a lock on the payment row) → call the provider with a refund reference derived
// from the Idempotency-Key → record its verdict (refund-settle.ts). A refund without a verdict (crash, timeout,
// provider still processing) is followed up by sending the SAME refund again: all three providers
// de-duplicate by our refund reference, so a resend returns the first refund instead of paying out twice.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { CreateRefundRequest } from '../../src/shared/api.ts';
import { MoneyError, validateAmount, type Money } from '../../src/shared/money.ts';
import { isPaid } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import type { StaffMember } from '../staff/directory.ts';
import { appendAudit } from '../store/audit.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import {
  findRefundByKey,
  getRefund,
  insertRefund,
  listOpenRefunds,
  OPEN_REFUND_STATUSES,
  sumRefunds,
  type Refund,
} from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import type { TerminalRow } from '../store/terminals.ts';
import type { AdapterRegistry } from './adapters.ts';
import { ApiError } from './api-error.ts';
import { ProviderError, type PaymentAdapter } from '../providers/types.ts';
import { recordRefundUnconfirmed, recordVerdict, refundOutcomeOfError } from './outcome.ts';
import { settleRefund, type RefundOutcome } from './refund-settle.ts';
import { requestHash } from './reference.ts';
import { FollowUps } from './follow-ups.ts';
import type { Leases } from './leases.ts';
import { takeRefundLease } from '../store/leases.ts';

export interface RefundDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  log: FastifyBaseLogger;
  /** Follow-up backoff for refunds without a verdict. */
  retry: { initialMs: number; maxMs: number };
  /** Row leases: one instance sends or follows up a refund at a time. */
  leases: Leases;
}

/** The provider's refund id: deterministic in (payment, key), so every resend names the same refund.
 *  32 chars of [a-z0-9-], within every provider's limits. */
export function refundReference(paymentId: string, idempotencyKey: string): string {
  return `kr-${createHash('sha256').update(`${paymentId}\n${idempotencyKey}`, 'utf8').digest('hex').slice(0, 29)}`;
}

export class RefundService {
  private readonly followUps: FollowUps;

  constructor(private readonly deps: RefundDeps) {
    this.followUps = new FollowUps({
      ...deps.retry,
      log: deps.log,
      what: 'refund',
      run: (id) => this.resend(id),
      // Still no verdict after several rounds: a person should look (the resends go on meanwhile).
      stuck: (id) => this.flag(id, true),
      settled: (id) => this.flag(id, false),
      held: (id) => deps.leases.hold('refunds', id, 'follow-up'),
      released: (id) => deps.leases.let('refunds', id, 'follow-up'),
    });
  }

  /** A refund left without a verdict (its proxy died mid-refund, or restarted), claimed by the sweep
   *  (payments/leases.ts): sent again now. */
  adopt(id: string): void {
    this.followUps.add(id, 0);
  }

  async stop(): Promise<void> {
    await this.followUps.stop();
  }

  /** Staff asked to re-check a payment: its open refunds are retried now rather than at their next turn. */
  async kick(paymentId: string): Promise<void> {
    for (const r of await listOpenRefunds(this.deps.db)) {
      if (r.paymentId !== paymentId) continue;
      // Another instance following it up keeps it; here only once it is ours.
      if (this.followUps.has(r.id) || (await this.deps.leases.takeRefund(r.id))) this.followUps.add(r.id, 0);
    }
  }

  /** `p` is a payment the route let `terminal` reach (its own, or its store's for a supervisor: staff-reach.ts);
   *  the refund is recorded at `terminal`, where it was made. `key` and `body` have passed the route's schemas
   *  (shape only; the amount's rules are checked here). Keys are per payment, whichever till sends them. */
  async create(
    terminal: TerminalRow,
    p: Payment,
    key: string,
    body: CreateRefundRequest,
    staff: StaffMember,
  ): Promise<{ refund: Refund; payment: Payment; replayed: boolean }> {
    const amount = refundAmount(body.amount, p.amount);
    // The PIN is not part of the request: another supervisor repeating the same refund is the same refund.
    const hash = requestHash({ amount });
    const prior = await this.replayOf(p.id, key, hash);
    if (prior) return { refund: prior, payment: (await getPayment(this.deps.db, p.id))!, replayed: true };

    const id = `ref_${randomUUID()}`;
    const reference = refundReference(p.id, key);
    const now = new Date().toISOString();
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        // Taking the payment row's write lock first serialises concurrent refunds of one payment (Postgres:
        // row lock; SQLite: the database write lock), so two refunds cannot both fit the same remainder.
        await trx
          .updateTable('payments')
          .set((eb) => ({ updated_at: eb.ref('updated_at') }))
          .where('id', '=', p.id)
          .execute();
        const current = (await getPayment(trx, p.id))!;
        // A void or a cancel holds the payment (voids.ts, cancels.ts): it may be returning everything right now.
        if (current.claim)
          throw new ApiError(409, 'action_in_progress', `A ${current.claim.kind} of this payment is still running. Re-check in a moment.`, {
            action: current.claim.kind,
          });
        if (!isPaid(current.status) || current.status === 'refunded') throw refusal(current);
        const committed = await sumRefunds(trx, p.id, [...OPEN_REFUND_STATUSES, 'succeeded']);
        const remaining = current.amount.value - committed;
        if (amount.value > remaining) {
          throw new ApiError(422, 'refund_exceeds_remaining', `At most ${remaining} (minor units) can still be refunded on this payment.`, {
            remaining: { value: remaining, currency: current.amount.currency },
          });
        }
        await insertRefund(trx, {
          id,
          paymentId: p.id,
          terminalId: terminal.id,
          idempotencyKey: key,
          requestHash: hash,
          refundReference: reference,
          amount,
          staffId: staff.id,
          createdAt: now,
        });
        // Ours while its first call is out: no other instance's sweep sends it meanwhile.
        await takeRefundLease(trx, id, this.deps.leases.owner, now, new Date(Date.now() + this.deps.leases.leaseMs).toISOString());
        await appendAudit(trx, {
          terminalId: terminal.id,
          staff,
          action: 'refund',
          outcome: 'requested',
          paymentId: p.id,
          refundId: id,
          amount,
        });
      });
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // The unique (payment, key) index fired: the same request raced itself.
      const again = await this.replayOf(p.id, key, hash);
      if (again) return { refund: again, payment: (await getPayment(this.deps.db, p.id))!, replayed: true };
      throw err;
    }
    this.deps.leases.hold('refunds', id, 'refund');
    let refund: Refund;
    try {
      refund = await this.send(id, 'cashier');
    } finally {
      this.deps.leases.let('refunds', id, 'refund');
    }
    await appendAudit(this.deps.db, {
      terminalId: terminal.id,
      staff,
      action: 'refund',
      outcome: refund.status,
      paymentId: p.id,
      refundId: id,
      amount,
      detail: refund.failure ?? undefined,
    });
    return { refund, payment: (await getPayment(this.deps.db, p.id))!, replayed: false };
  }

  private async replayOf(paymentId: string, key: string, hash: string): Promise<Refund | undefined> {
    const existing = await findRefundByKey(this.deps.db, paymentId, key);
    if (existing && existing.requestHash !== hash) {
      throw new ApiError(
        409,
        'idempotency_conflict',
        'This Idempotency-Key was already used for a different refund. Use a new key for a new refund.',
        { refundId: existing.id },
      );
    }
    return existing;
  }

  /** One attempt at the provider for a refund without a verdict; records the answer. */
  private async send(refundId: string, source: 'cashier' | 'reconciler'): Promise<Refund> {
    const refund = (await getRefund(this.deps.db, refundId))!;
    const payment = (await getPayment(this.deps.db, refund.paymentId))!;
    const adapter = this.deps.adapters.get(payment.provider);
    let outcome: RefundOutcome;
    try {
      if (!adapter) throw new ProviderError('provider_unavailable', `${payment.provider} is not configured`, { outcomeUnknown: true });
      const req = {
        reference: payment.reference,
        providerRef: payment.providerRef ?? undefined,
        refundReference: refund.refundReference,
        amount: refund.amount,
      };
      const answer = await adapter.refund(req);
      outcome = { status: answer.status, providerRef: answer.providerRef, raw: answer.raw };
    } catch (err) {
      if (!(err instanceof ProviderError)) {
        this.followUps.add(refundId);
        throw err;
      }
      // No verdict: the refund may have happened. Only a resend with the same reference can tell.
      outcome = refundOutcomeOfError(err);
    }
    const settled = await settleRefund(this.deps.db, this.deps.bus, refundId, outcome, source);
    if (OPEN_REFUND_STATUSES.includes(settled.refund.status)) this.followUps.add(refundId);
    if (settled.changed && settled.refund.status === 'failed' && adapter) await this.afterRefusal(payment, adapter);
    return settled.refund;
  }

  /** A refused refund can mean the money already went back another way — a cancel that landed just as the
   *  customer paid, while this refund was open and so explained the provider's reversal (outcome.ts). Now
   *  that it no longer does, the payment's own status at the provider says. */
  private async afterRefusal(payment: Payment, adapter: PaymentAdapter): Promise<void> {
    try {
      const verdict = await adapter.query({ reference: payment.reference, providerRef: payment.providerRef ?? undefined });
      if (verdict?.status === 'reversed') await recordVerdict(this.deps, payment.id, verdict, 'reconciler');
    } catch (err) {
      this.deps.log.warn(
        { paymentId: payment.id, err: err instanceof Error ? err.message : String(err) },
        'payment check after a refused refund failed',
      );
    }
  }

  private async flag(refundId: string, on: boolean): Promise<void> {
    const r = await getRefund(this.deps.db, refundId);
    if (!r) return;
    await recordRefundUnconfirmed(this.deps, r.paymentId, on, { refund: r.id, status: r.status });
  }

  /** Follow-up round: 'done' when the refund has a verdict. */
  private async resend(refundId: string): Promise<'done' | 'again'> {
    const r = await getRefund(this.deps.db, refundId);
    if (!r || !OPEN_REFUND_STATUSES.includes(r.status)) return 'done';
    const after = await this.send(refundId, 'reconciler');
    if (!OPEN_REFUND_STATUSES.includes(after.status)) {
      await appendAudit(this.deps.db, {
        terminalId: r.terminalId,
        action: 'refund',
        outcome: after.status,
        paymentId: r.paymentId,
        refundId,
        amount: r.amount,
        detail: { source: 'follow-up' },
      });
      return 'done';
    }
    return 'again';
  }
}

function refundAmount(amount: Money, paid: Money): Money {
  let m: Money;
  try {
    m = validateAmount(amount, Number.MAX_SAFE_INTEGER);
  } catch (err) {
    if (err instanceof MoneyError)
      throw new ApiError(
        400,
        err.code,
        `Refund ${err.message}. Send {"amount": {"value": <minor units>, "currency": "${paid.currency}"}}.`,
      );
    throw err;
  }
  if (m.currency !== paid.currency)
    throw new ApiError(400, 'currency_mismatch', `This payment was in ${paid.currency}; refund in ${paid.currency}.`);
  return m;
}

function refusal(p: Payment): ApiError {
  const why = p.status === 'refunded' ? 'is already fully refunded' : `is ${p.status}, not paid`;
  return new ApiError(409, 'payment_not_refundable', `This payment ${why}; there is nothing to refund.`, { status: p.status });
}
