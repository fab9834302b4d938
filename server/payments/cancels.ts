// Cancelling an open payment at the provider: the cashier's Cancel, and the reconciler's once the customer's
// time is up. A cancel that reaches the provider just after the customer paid gives the money back (Pockyt's
// cancel and Centrapay's void refund a capture; PayBy's adapter revokes an order that cancelOrder finds paid),
// and only the cancel's own answer tells our books so: the capture meanwhile reaches them by notification or
// poll, and the reconciler stops watching a paid payment. So a cancel is sent the way a void is (voids.ts):
// take the payment in the database (store/action-claims.ts) → call the provider → record its verdict
// (outcome.ts) → let go. A cancel without a verdict keeps its hold — refunds and voids wait, for it may be
// returning the money right now — and is followed up, by the next proxy too (start()), with queries until the
// provider shows the payment closed or the money back, or until the cancel cannot still be on its way. While the
// cancel call is out, the payment's lease marks it (lease_call 'cancel', payments/leases.ts), so a notification
// on any instance waits for the cancel's answer and no other instance calls the provider about it. It is
// never re-sent from here: while the payment is open, re-sending is the reconciler's job (a cancel is safe to repeat).
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { isOpen, type PaymentStatus } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { releaseClaim, takeClaim, type ActionClaim } from '../store/action-claims.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import type { ProviderError, ProviderVerdict } from '../providers/types.ts';
import type { AdapterRegistry } from './adapters.ts';
import { FollowUps } from './follow-ups.ts';
import type { Leases } from './leases.ts';
import { recordAnswered, recordProviderError, recordVerdict, type ErrorRecorded } from './outcome.ts';
import type { Watcher } from './service.ts';

export interface CancelDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  log: FastifyBaseLogger;
  retry: { initialMs: number; maxMs: number };
  /** How long a cancel without a verdict may still be on its way to the provider (RECONCILE_NOT_FOUND_GRACE_MS). */
  graceMs: number;
  /** Row leases: the cancel call is marked on the payment's lease while it is out. */
  leases: Leases;
  /** The reconciler: it keeps cancelling a payment still open once the follow-up lets go. */
  watcher: Watcher;
}

export type CancelResult =
  /** The provider answered; its verdict is in the books. */
  | { kind: 'answered'; payment: Payment }
  /** Not sent: another cancel holds the payment (its outcome follows), or the charge is still unanswered. */
  | { kind: 'busy'; payment: Payment }
  /** Not sent: the payment is no longer open. */
  | { kind: 'closed'; payment: Payment }
  /** No verdict (outcome.ts): `unknown` keeps the hold and is followed up; `unchanged`: refused, nothing moved. */
  | { kind: 'no_verdict'; payment: Payment; outcome: ErrorRecorded['outcome']; error: ProviderError };

/** What a payment can be cancelled from: `created` is still waiting for its charge's answer. */
const CANCELLABLE: readonly PaymentStatus[] = ['pending', 'unknown'];

export class Cancels {
  private readonly checks: FollowUps;

  constructor(private readonly deps: CancelDeps) {
    this.checks = new FollowUps({
      ...deps.retry,
      log: deps.log,
      what: 'cancel',
      run: (id) => this.confirm(id),
      held: (id) => deps.leases.hold('payments', id, 'follow-up'),
      released: (id) => deps.leases.let('payments', id, 'follow-up'),
    });
  }

  /** A cancel some proxy sent without recording its outcome (answer lost, process gone), claimed by the
   *  sweep (payments/leases.ts): checked again now. */
  adopt(id: string): void {
    this.checks.add(id, 0);
  }

  async stop(): Promise<void> {
    await this.checks.stop();
  }

  /** `expiring`: the reconciler closing a merchant QR nobody paid in time — not cancelled by anyone, so the
   *  provider's "cancelled" is recorded as `expired` (a late payment can still land). */
  async cancel(p: Payment, source: 'cashier' | 'reconciler', opts: { expiring?: boolean } = {}): Promise<CancelResult> {
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) throw new Error(`provider ${p.provider} is not configured`);
    // Our own cancel makes Pockyt notify `closed`; that notification must not overtake the cancel's answer.
    if (!(await this.deps.leases.beginCall(p.id, 'cancel'))) {
      const current = (await getPayment(this.deps.db, p.id))!;
      return { kind: isOpen(current.status) ? 'busy' : 'closed', payment: current };
    }
    try {
      const taken = await this.take(p.id);
      if ('result' in taken) return taken.result;
      const { claim } = taken;
      let verdict: ProviderVerdict;
      try {
        verdict = await adapter.cancel({ reference: p.reference, providerRef: p.providerRef ?? undefined });
      } catch (err) {
        return await this.withoutVerdict(p, claim, err, source);
      }
      if (opts.expiring && verdict.status === 'cancelled') verdict = { ...verdict, status: 'expired', failure: undefined };
      let payment: Payment;
      try {
        payment = (await recordVerdict(this.deps, p.id, verdict, source)).payment;
      } catch (err) {
        // The answer is in hand but not recorded (our store failed): the claim stays; the follow-up records it.
        this.checks.add(p.id);
        throw err;
      }
      await releaseClaim(this.deps.db, p.id, claim);
      return { kind: 'answered', payment };
    } finally {
      await this.deps.leases.endCall(p.id, 'cancel');
    }
  }

  private async take(id: string): Promise<{ claim: ActionClaim } | { result: CancelResult }> {
    const claim = await this.deps.db.transaction().execute((trx) => takeClaim(trx, id, 'cancel', CANCELLABLE));
    if (claim) return { claim };
    const current = (await getPayment(this.deps.db, id))!;
    return { result: { kind: isOpen(current.status) ? 'busy' : 'closed', payment: current } };
  }

  private async withoutVerdict(p: Payment, claim: ActionClaim, err: unknown, source: 'cashier' | 'reconciler'): Promise<CancelResult> {
    let r: ErrorRecorded;
    try {
      r = await recordProviderError(this.deps, p, err, 'cancel', source);
    } catch (ours) {
      // Our own failure after the claim (or the store's): the cancel may be out. The follow-up finds out.
      this.checks.add(p.id);
      throw ours;
    }
    if (r.outcome === 'unknown') {
      // The cancel may be under way, and may be giving money back: hold the payment until the provider says.
      this.checks.add(p.id);
    } else {
      await releaseClaim(this.deps.db, p.id, claim);
    }
    return { kind: 'no_verdict', payment: r.payment, outcome: r.outcome, error: r.error };
  }

  /** Follow-up round for a cancel without a verdict: 'done' once the provider's record is in the books and
   *  the cancel can no longer change it. */
  private async confirm(id: string): Promise<'done' | 'again'> {
    const p = await getPayment(this.deps.db, id);
    const claim = p?.claim;
    if (!p || !claim || claim.kind !== 'cancel') return 'done';
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) return 'again';
    const verdict = await adapter.query({ reference: p.reference, providerRef: p.providerRef ?? undefined });
    let current = p;
    if (verdict) {
      await recordAnswered(this.deps, p, 'reconciler');
      current = (await recordVerdict(this.deps, id, verdict, 'reconciler')).payment;
    }
    // Closed, or the money back: whatever the cancel did is in the books, and nothing is left for it to do.
    const settled = verdict !== null && verdict.status !== 'pending' && verdict.status !== 'succeeded';
    // Still payable or paid: the cancel may yet land, until it cannot still be on its way.
    if (!settled && Date.now() - Date.parse(claim.since) < this.deps.graceMs) return 'again';
    await releaseClaim(this.deps.db, id, claim);
    // Still open: the reconciler goes on cancelling it, as it would have without the lost answer.
    if (isOpen(current.status)) this.deps.watcher.watch(id, { cancel: true });
    return 'done';
  }
}
