// One reconciler round for one payment (poller.ts decides when): ask the provider, record its answer through
// the one write path (outcome.ts), and cancel once the customer's confirmation window has closed or a cashier
// asked. Only a provider answer moves money states here; "no such payment" counts as "never created" only after
// a grace period longer than any request timeout, because a request sent just before a crash can still land.
import { isOpen } from '../../src/shared/payment.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import type { Cancels } from './cancels.ts';
import type { Leases } from './leases.ts';
import { deadlineOf } from './deadline.ts';
import { recordAnswered, recordNeverReached, recordNoAnswer, recordVerdict, type OutcomeDeps } from './outcome.ts';
import type { AdapterRegistry } from './adapters.ts';
import type { RequestBudgets } from './poll-budget.ts';
import { ProviderError } from '../providers/types.ts';
import type { FastifyBaseLogger } from 'fastify';

export interface RoundDeps extends OutcomeDeps {
  adapters: AdapterRegistry;
  cancels: Pick<Cancels, 'cancel'>;
  budgets: RequestBudgets;
  /** How long after creation "the provider has no such payment" is not yet taken as "never created". */
  notFoundGraceMs: number;
  /** Still worth asking about (open, or expired recently enough for a late capture). */
  watchable: (p: Payment) => boolean;
  leases: Pick<Leases, 'alive'>;
  log: FastifyBaseLogger;
}

/** 'open': keep asking; 'late_watch': expired, keep asking slowly; 'done': nothing more to learn. Throws when
 *  the provider gave no verdict (the caller counts the failure and asks again later). */
export async function pollRound(deps: RoundDeps, p: Payment, cancelRequested: boolean): Promise<'open' | 'late_watch' | 'done'> {
  const adapter = deps.adapters.get(p.provider);
  if (!adapter) throw new Error(`provider ${p.provider} is not configured`);
  const ref = { reference: p.reference, providerRef: p.providerRef ?? undefined };
  const verdict = await adapter.query(ref);
  let current: Payment;
  if (verdict === null) {
    if (p.providerRef) throw new Error(`provider has no record of ${p.providerRef}`);
    if (p.status === 'expired') return 'done';
    if (Date.now() - Date.parse(p.createdAt) < deps.notFoundGraceMs) return 'open';
    // The provider never saw this reference: our request never arrived, so no money can have moved.
    const r = await recordNeverReached(deps, p);
    return isOpen(r.payment.status) ? 'open' : 'done';
  }
  if (verdict.status === 'expired' && (await cancelOut(deps, p.id))) {
    // Our own cancel closes the payment at the provider, and a query that reads it after that hears "closed":
    // on its own, "the customer never paid in time". While the cancel's answer is on its way, it is the
    // cancel's to record (`cancelled`); the next round finds it settled. The cancel call is marked in the row
    // before its request leaves, so a query that could have heard its effect always sees the mark.
    return 'open';
  }
  await recordAnswered(deps, p, 'reconciler');
  current = (await recordVerdict(deps, p.id, verdict, 'poll')).payment;
  if (current.status === 'expired') return deps.watchable(current) ? 'late_watch' : 'done';
  if (!isOpen(current.status)) return 'done';

  const windowOver = Date.now() >= deadlineOf(p, adapter.confirmWindowMs);
  if (!cancelRequested && !windowOver) return 'open';
  // A merchant QR nobody paid in time is `expired` (a late payment can still land), not cancelled by
  // anyone; a cashier's cancel stays a cancel.
  const expiring = !cancelRequested && p.mode === 'mpm';
  await deps.budgets.of(p.provider).spend();
  // Cancel is safe to repeat at every provider; one whose outcome is unknown is followed up by cancels.ts.
  const r = await deps.cancels.cancel(current, 'reconciler', { expiring });
  if (r.kind === 'no_verdict') throw r.error;
  current = r.payment;
  return isOpen(current.status) ? 'open' : current.status === 'expired' ? 'late_watch' : 'done';
}

/** A cancel call on the payment is out now, from any instance. */
async function cancelOut(deps: RoundDeps, id: string): Promise<boolean> {
  const now = await getPayment(deps.db, id);
  return now !== undefined && now.lease?.call === 'cancel' && deps.leases.alive(now.lease);
}

/** After this many checks in a row without an answer, staff should look at the payment. */
export const ATTENTION_AFTER_ERRORS = 5;

/** A check that got no verdict: counted (staff are told after ATTENTION_AFTER_ERRORS in a row) and logged.
 *  Returns the provider's Retry-After, if it throttled us — then the whole account waits, because the
 *  provider counts the account, not the payment. */
export async function checkFailed(
  deps: RoundDeps,
  id: string,
  p: Payment | undefined,
  w: { errors: number },
  err: unknown,
): Promise<number | undefined> {
  const retryAfterMs = err instanceof ProviderError ? err.retryAfterMs : undefined;
  if (retryAfterMs !== undefined && p) {
    await deps.budgets
      .of(p.provider)
      .pause(retryAfterMs)
      .catch((e) => deps.log.warn({ paymentId: id, err: describeFailure(e) }, 'could not record the provider pause'));
  }
  w.errors++;
  deps.log.warn({ paymentId: id, err: describeFailure(err), errors: w.errors }, 'payment check failed');
  if (w.errors === ATTENTION_AFTER_ERRORS) {
    await recordNoAnswer(deps, id, describeFailure(err)).catch((e) =>
      deps.log.error({ paymentId: id, err: describeFailure(e) }, 'could not raise needsAttention'),
    );
  }
  return retryAfterMs;
}

/** What a failed check is logged as: a provider error keeps whether its outcome is unknown. */
function describeFailure(err: unknown): unknown {
  if (err instanceof ProviderError) return { code: err.code, message: err.message, outcomeUnknown: err.outcomeUnknown };
  return err instanceof Error ? err.message : String(err);
}
