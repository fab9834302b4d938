// Staff actions on one payment (issue 4, DESIGN §1/§10): re-check it with the provider now, void it
// (supervisor), acknowledge a flag (supervisor). Every status change goes through outcome.ts (the provider's
// answer) to the one write path, and every action lands in the append-only audit log.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { isOpen } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import type { StaffMember } from '../staff/directory.ts';
import { appendAudit } from '../store/audit.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import { OPEN_REFUND_STATUSES, sumRefunds } from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import type { TerminalRow } from '../store/terminals.ts';
import type { AdapterRegistry } from './adapters.ts';
import { ApiError } from './api-error.ts';
import { ATTENTION } from './attention.ts';
import { FollowUps } from './follow-ups.ts';
import { ProviderError, type PaymentAdapter, type ProviderVerdict } from '../providers/types.ts';
import { noVerdict, recordAnswered, recordVerdict } from './outcome.ts';
import type { RefundService } from './refunds.ts';
import type { PaymentService, Watcher } from './service.ts';
import { setAttention } from './transition.ts';

export interface StaffActionDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  service: PaymentService;
  refunds: RefundService;
  watcher: Watcher;
  log: FastifyBaseLogger;
  retry: { initialMs: number; maxMs: number };
}

/** PayBy's revoke reverses a paid order directly; the others' cancel/void does the same for a paid payment. */
type Revoking = PaymentAdapter & { revoke?(ref: { reference: string; providerRef?: string }): Promise<ProviderVerdict> };

export class StaffActions {
  /** Voids the provider accepted without confirming: re-queried until it shows the reversal. */
  private readonly voidChecks: FollowUps;

  constructor(private readonly deps: StaffActionDeps) {
    this.voidChecks = new FollowUps({
      ...deps.retry, log: deps.log, what: 'void', run: (id) => this.confirmVoid(id),
    });
  }

  async stop(): Promise<void> {
    await this.voidChecks.stop();
  }

  /** Asks the provider now and applies the answer. Open payments stay with the reconciler afterwards. */
  async recheck(terminal: TerminalRow, id: string): Promise<Payment> {
    const p = await this.deps.service.get(terminal, id);
    const adapter = this.adapterFor(p);
    let verdict: ProviderVerdict | null;
    try {
      verdict = await adapter.query({ reference: p.reference, providerRef: p.providerRef ?? undefined });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      await appendAudit(this.deps.db, { terminalId: terminal.id, action: 'recheck', outcome: 'no_answer', paymentId: p.id, detail: { code: err.code } });
      throw new ApiError(502, 'provider_not_answering', `${p.provider} did not answer the check: ${err.message}. Nothing changed; try again.`, { code: err.code });
    }
    let after = p;
    // "No such payment" is not believed on the spot (a request may still be on its way): the reconciler
    // decides that with its grace period.
    if (verdict) {
      await recordAnswered(this.deps, p, 'cashier');
      after = (await recordVerdict(this.deps, p.id, verdict, 'cashier')).payment;
      if (after.needsAttention && after.attentionReason === ATTENTION.voidUnconfirmed && after.status === 'reversed') {
        after = (await setAttention(this.deps.db, this.deps.bus, { paymentId: p.id, on: false, source: 'cashier' })).payment;
      }
    }
    if (isOpen(after.status) || after.status === 'expired') this.deps.watcher.watch(p.id);
    await this.deps.refunds.kick(p.id);
    await appendAudit(this.deps.db, {
      terminalId: terminal.id, action: 'recheck', outcome: after.status, paymentId: p.id,
      detail: { before: p.status, provider: verdict ? verdict.status : 'not_found' },
    });
    return after;
  }

  /** Reverses a captured payment in full (an open one is cancelled instead). `accepted`: the provider has
   *  not confirmed yet; the outcome arrives over SSE. */
  async void(terminal: TerminalRow, id: string, staff: StaffMember): Promise<{ payment: Payment; accepted: boolean }> {
    const p = await this.deps.service.get(terminal, id);
    await appendAudit(this.deps.db, { terminalId: terminal.id, staff, action: 'void', outcome: 'requested', paymentId: p.id, amount: p.amount, detail: { status: p.status } });
    if (isOpen(p.status)) {
      const r = await this.deps.service.cancel(terminal, id);
      await appendAudit(this.deps.db, { terminalId: terminal.id, staff, action: 'void', outcome: r.accepted ? 'accepted' : r.payment.status, paymentId: p.id });
      return r;
    }
    const refunded = await sumRefunds(this.deps.db, p.id, [...OPEN_REFUND_STATUSES, 'succeeded']);
    if (p.status !== 'succeeded' || refunded > 0) {
      const hint = p.status === 'partially_refunded' || refunded > 0 ? ' Refund the rest instead.' : '';
      await appendAudit(this.deps.db, { terminalId: terminal.id, staff, action: 'void', outcome: 'refused', paymentId: p.id, detail: { status: p.status } });
      throw new ApiError(409, 'void_not_allowed', `This payment is ${p.status}${refunded > 0 ? ' with refunds' : ''}; only a paid payment without refunds can be voided.${hint}`, { status: p.status });
    }
    const adapter = this.adapterFor(p) as Revoking;
    const ref = { reference: p.reference, providerRef: p.providerRef ?? undefined };
    const inFlight = this.deps.service.inFlight;
    if (inFlight.has(p.id)) throw new ApiError(409, 'action_in_progress', 'Another action on this payment is still running. Re-check in a moment.');
    inFlight.add(p.id);
    try {
      const verdict = adapter.revoke ? await adapter.revoke(ref) : await adapter.cancel(ref);
      const r = await recordVerdict(this.deps, p.id, verdict, 'cashier');
      let payment = r.payment;
      if (payment.status === 'reversed' && payment.needsAttention) {
        payment = (await setAttention(this.deps.db, this.deps.bus, { paymentId: p.id, on: false, source: 'cashier' })).payment;
      }
      await appendAudit(this.deps.db, { terminalId: terminal.id, staff, action: 'void', outcome: payment.status, paymentId: p.id, amount: p.amount, detail: { provider: verdict.status } });
      if (payment.status !== 'reversed') {
        throw new ApiError(502, 'void_failed', `The provider answered the void with "${verdict.status}"; the payment is unchanged. Re-check it.`, { provider: verdict.status });
      }
      return { payment, accepted: false };
    } catch (err) {
      const { outcome, error } = noVerdict(err);
      if (outcome === 'unknown') {
        // The reversal may be under way: never void twice on a guess. Re-query until the provider says.
        const flagged = await setAttention(this.deps.db, this.deps.bus, { paymentId: p.id, on: true, reason: ATTENTION.voidUnconfirmed, source: 'cashier', detail: { code: error.code } });
        this.voidChecks.add(p.id);
        await appendAudit(this.deps.db, { terminalId: terminal.id, staff, action: 'void', outcome: 'unknown', paymentId: p.id, detail: { code: error.code } });
        return { payment: flagged.payment, accepted: true };
      }
      await appendAudit(this.deps.db, { terminalId: terminal.id, staff, action: 'void', outcome: 'failed', paymentId: p.id, detail: { code: error.code, message: error.message } });
      throw new ApiError(502, 'void_failed', `The provider refused the void: ${error.message}`, { code: error.code });
    } finally {
      inFlight.delete(p.id);
    }
  }

  /** A supervisor has looked at a flagged payment (e.g. a late payment the sale kept): the flag is cleared. */
  async acknowledge(terminal: TerminalRow, id: string, staff: StaffMember): Promise<Payment> {
    const p = await this.deps.service.get(terminal, id);
    if (isOpen(p.status)) {
      throw new ApiError(409, 'payment_open', 'This payment is still being checked; it leaves the list by itself once it settles.', { status: p.status });
    }
    const r = await setAttention(this.deps.db, this.deps.bus, { paymentId: p.id, on: false, source: 'cashier', detail: { acknowledgedBy: staff.id } });
    await appendAudit(this.deps.db, { terminalId: terminal.id, staff, action: 'acknowledge', outcome: r.changed ? 'cleared' : 'not_flagged', paymentId: p.id, detail: { reason: p.attentionReason } });
    return r.payment;
  }

  private async confirmVoid(id: string): Promise<'done' | 'again'> {
    const p = await getPayment(this.deps.db, id);
    if (!p || p.status !== 'succeeded') return 'done';
    const verdict = await this.adapterFor(p).query({ reference: p.reference, providerRef: p.providerRef ?? undefined });
    if (!verdict || verdict.status === 'succeeded') return 'again';
    const r = await recordVerdict(this.deps, id, verdict, 'reconciler');
    if (r.payment.status === 'reversed') await setAttention(this.deps.db, this.deps.bus, { paymentId: id, on: false, source: 'reconciler', onlyIfReason: ATTENTION.voidUnconfirmed });
    return 'done';
  }

  private adapterFor(p: Payment): PaymentAdapter {
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) throw new ApiError(503, 'provider_unavailable', `${p.provider} is not available right now.`);
    return adapter;
  }
}
