// Voiding a paid payment (supervisor; issue 4, issue 9). The order of steps is the money-safety argument:
// take the payment in the database (store/action-claims.ts) in the same transaction that checks it is paid
// with no refund open or done → call the provider → record its verdict (outcome.ts) → let go. While the void
// holds the payment, no refund can start and no second void can be sent; a refund already open makes the void
// refuse, so the two never race at the provider. A void without a verdict keeps its hold and is flagged; the
// follow-up re-queries the provider (never re-sends: a second void on a guess could move money twice) until it
// shows the reversal, or until the void cannot still be on its way — then staff are told it did not happen.
// The hold lives in the payment row, so the next proxy on the same database picks the follow-up up (start()).
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { EventBus } from '../events/bus.ts';
import type { StaffMember } from '../staff/directory.ts';
import { releaseClaim, takeClaim, type ActionClaim } from '../store/action-claims.ts';
import { appendAudit } from '../store/audit.ts';
import type { EventSource } from '../store/events.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import { OPEN_REFUND_STATUSES, sumRefunds } from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import type { TerminalRow } from '../store/terminals.ts';
import type { PaymentAdapter, ProviderVerdict } from '../providers/types.ts';
import type { AdapterRegistry } from './adapters.ts';
import { ApiError } from './api-error.ts';
import { ATTENTION } from './attention.ts';
import { FollowUps } from './follow-ups.ts';
import type { Leases } from './leases.ts';
import { noVerdict, recordVerdict } from './outcome.ts';
import { setAttention } from './transition.ts';

export interface VoidDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  log: FastifyBaseLogger;
  retry: { initialMs: number; maxMs: number };
  /** How long a void without a verdict may still be on its way to the provider (RECONCILE_NOT_FOUND_GRACE_MS). */
  graceMs: number;
  /** Row leases: a void being followed up keeps its payment's lease, so no other instance follows it up too. */
  leases: Leases;
}

/** Some providers reverse a paid order with a dedicated revoke; the others' cancel/void does the same for a paid payment. */
type Revoking = PaymentAdapter & { revoke?(ref: { reference: string; providerRef?: string }): Promise<ProviderVerdict> };

class RefundsExist extends Error {}

export class Voids {
  private readonly checks: FollowUps;

  constructor(private readonly deps: VoidDeps) {
    this.checks = new FollowUps({
      ...deps.retry,
      log: deps.log,
      what: 'void',
      run: (id) => this.confirm(id),
      held: (id) => deps.leases.hold('payments', id, 'follow-up'),
      released: (id) => deps.leases.let('payments', id, 'follow-up'),
    });
  }

  /** A void some proxy sent without recording its outcome (answer lost, process gone), claimed by the sweep
   *  (payments/leases.ts): checked again now. */
  adopt(id: string): void {
    this.checks.add(id, 0);
  }

  async stop(): Promise<void> {
    await this.checks.stop();
  }

  /** Staff re-checked the payment: an unconfirmed void of it is looked at now rather than at its next turn. */
  kick(paymentId: string): void {
    this.checks.add(paymentId, 0);
  }

  /** `accepted`: the provider has not confirmed yet; the outcome arrives over SSE. */
  async voidPaid(terminal: TerminalRow, p: Payment, staff: StaffMember): Promise<{ payment: Payment; accepted: boolean }> {
    // The payment's lease is marked for the void's call, so no instance's sweep takes the claim for an orphan
    // while the call is out (payments/leases.ts).
    if (!(await this.deps.leases.beginCall(p.id, 'void')))
      throw new ApiError(409, 'action_in_progress', 'Another action on this payment is still running. Re-check in a moment.', {});
    try {
      return await this.voidHeld(terminal, p, staff);
    } finally {
      await this.deps.leases.endCall(p.id, 'void');
    }
  }

  private async voidHeld(terminal: TerminalRow, p: Payment, staff: StaffMember): Promise<{ payment: Payment; accepted: boolean }> {
    const claim = await this.claim(terminal, p, staff);
    const adapter: Revoking | undefined = this.deps.adapters.get(p.provider);
    const ref = { reference: p.reference, providerRef: p.providerRef ?? undefined };
    let verdict: ProviderVerdict;
    try {
      if (!adapter) throw new ApiError(503, 'provider_unavailable', `${p.provider} is not available right now.`);
      verdict = adapter.revoke ? await adapter.revoke(ref) : await adapter.cancel(ref);
    } catch (err) {
      return this.withoutVerdict(terminal, staff, p, claim, err);
    }
    let payment: Payment;
    try {
      payment = await this.apply(p.id, claim, verdict, 'cashier');
    } catch (err) {
      // The answer is in hand but not recorded (our store failed): the claim stays; the follow-up records it.
      this.checks.add(p.id);
      throw err;
    }
    await appendAudit(this.deps.db, {
      terminalId: terminal.id,
      staff,
      action: 'void',
      outcome: payment.status,
      paymentId: p.id,
      amount: p.amount,
      detail: { provider: verdict.status },
    });
    if (payment.status !== 'reversed') {
      throw new ApiError(
        502,
        'void_failed',
        `The provider answered the void with "${verdict.status}"; the payment is ${payment.status}. Re-check it.`,
        { provider: verdict.status, status: payment.status },
      );
    }
    return { payment, accepted: false };
  }

  /** Takes the payment for this void, or explains why not (audited either way). */
  private async claim(terminal: TerminalRow, p: Payment, staff: StaffMember): Promise<ActionClaim> {
    let taken: { claim: ActionClaim | null; current: Payment };
    let refunds = false;
    try {
      taken = await this.deps.db.transaction().execute(async (trx) => {
        const claim = await takeClaim(trx, p.id, 'void', 'succeeded');
        // Any refund, open or done, rules a void out; rolling back lets go of the claim just taken.
        if (claim && (await sumRefunds(trx, p.id, [...OPEN_REFUND_STATUSES, 'succeeded'])) > 0) throw new RefundsExist();
        return { claim, current: (await getPayment(trx, p.id))! };
      });
    } catch (err) {
      if (!(err instanceof RefundsExist)) throw err;
      refunds = true;
      taken = { claim: null, current: (await getPayment(this.deps.db, p.id))! };
    }
    const { claim, current } = taken;
    if (claim) return claim;
    const refuse = async (reason: string) =>
      appendAudit(this.deps.db, {
        terminalId: terminal.id,
        staff,
        action: 'void',
        outcome: 'refused',
        paymentId: p.id,
        detail: { status: current.status, reason },
      });
    if (current.claim) {
      await refuse('in_progress');
      throw new ApiError(409, 'action_in_progress', 'Another action on this payment is still running. Re-check in a moment.', {
        action: current.claim.kind,
      });
    }
    await refuse(refunds ? 'refunds' : 'status');
    const hint = current.status === 'partially_refunded' || refunds ? ' Refund the rest instead.' : '';
    throw new ApiError(
      409,
      'void_not_allowed',
      `This payment is ${current.status}${refunds ? ' with refunds' : ''}; only a paid payment without refunds can be voided.${hint}`,
      { status: current.status },
    );
  }

  private async withoutVerdict(
    terminal: TerminalRow,
    staff: StaffMember,
    p: Payment,
    claim: ActionClaim,
    err: unknown,
  ): Promise<{ payment: Payment; accepted: boolean }> {
    let reading: ReturnType<typeof noVerdict>;
    try {
      reading = noVerdict(err);
    } catch (ours) {
      // Our own failure after the claim: the void may be out. The claim stays and the follow-up finds out.
      if (!(ours instanceof ApiError)) this.checks.add(p.id);
      else await releaseClaim(this.deps.db, p.id, claim);
      throw ours;
    }
    const { outcome, error } = reading;
    if (outcome === 'unknown') {
      // The reversal may be under way: never void twice on a guess. Re-query until the provider says.
      const flagged = await setAttention(this.deps.db, this.deps.bus, {
        paymentId: p.id,
        on: true,
        reason: ATTENTION.voidUnconfirmed,
        source: 'cashier',
        detail: { code: error.code },
      });
      this.checks.add(p.id);
      await appendAudit(this.deps.db, {
        terminalId: terminal.id,
        staff,
        action: 'void',
        outcome: 'unknown',
        paymentId: p.id,
        detail: { code: error.code },
      });
      return { payment: flagged.payment, accepted: true };
    }
    await releaseClaim(this.deps.db, p.id, claim);
    await appendAudit(this.deps.db, {
      terminalId: terminal.id,
      staff,
      action: 'void',
      outcome: 'failed',
      paymentId: p.id,
      detail: { code: error.code, message: error.message },
    });
    throw new ApiError(502, 'void_failed', `The provider refused the void: ${error.message}`, { code: error.code });
  }

  /** Records the provider's word on the void, then lets go: from here on the books say what happened. */
  private async apply(id: string, claim: ActionClaim, verdict: ProviderVerdict, source: EventSource): Promise<Payment> {
    // Every cent is back. The supervisor who voided has dealt with whatever was flagged; the follow-up only
    // clears the flag its own void raised — in the reversal's own commit, so nobody sees one without the other.
    const clear = { on: false, ...(source === 'cashier' ? {} : { onlyIfReason: ATTENTION.voidUnconfirmed }) };
    let payment = (await recordVerdict(this.deps, id, verdict, source, {}, verdict.status === 'reversed' ? clear : undefined)).payment;
    if (payment.status === 'reversed' && payment.needsAttention) {
      // Someone else (a notification) recorded the reversal first.
      payment = (await setAttention(this.deps.db, this.deps.bus, { paymentId: id, source, ...clear })).payment;
    }
    await releaseClaim(this.deps.db, id, claim);
    return payment;
  }

  /** Follow-up round for a void without a verdict: 'done' once the books agree with the provider. */
  private async confirm(id: string): Promise<'done' | 'again'> {
    const p = await getPayment(this.deps.db, id);
    const claim = p?.claim;
    if (!p || !claim || claim.kind !== 'void') return 'done';
    if (p.status !== 'succeeded') {
      // Its outcome was recorded meanwhile (a staff re-check, a notification).
      if (p.status === 'reversed')
        await setAttention(this.deps.db, this.deps.bus, {
          paymentId: id,
          on: false,
          source: 'reconciler',
          onlyIfReason: ATTENTION.voidUnconfirmed,
        });
      await releaseClaim(this.deps.db, id, claim);
      return 'done';
    }
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) return 'again';
    const verdict = await adapter.query({ reference: p.reference, providerRef: p.providerRef ?? undefined });
    if (verdict?.status === 'reversed') {
      await this.apply(id, claim, verdict, 'reconciler');
      return 'done';
    }
    if (Date.now() - Date.parse(claim.since) < this.deps.graceMs) return 'again';
    // The void cannot still be on its way and the provider has the payment paid: it did not happen. Our books
    // agree with the provider; staff may act again, and the flag tells them their void did not go through.
    await setAttention(this.deps.db, this.deps.bus, {
      paymentId: id,
      on: true,
      reason: ATTENTION.voidUnconfirmed,
      source: 'reconciler',
      detail: { provider: verdict?.status ?? 'not_found' },
    });
    await releaseClaim(this.deps.db, id, claim);
    return 'done';
  }
}
