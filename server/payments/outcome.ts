// What the provider's word does to a payment (DESIGN §6). The one place that turns a verdict, a thrown
// error or a lasting silence into a transition (transition.ts) or a needs-attention flag. The service, the
// reconciler, notifications, refunds and staff actions call these, never transition.ts (staff actions still
// raise and clear the flags of their own voids and acknowledgements).
// (A refund row and the payment's refunded total move in one commit in refund-settle.ts; what a refund call's
// error means is decided here too.) Declines are verdicts; an error is "no verdict": either the request may
// have moved money — only a query can tell — or the provider refused it before processing.
import type { Kysely } from 'kysely';
import type { Money } from '../../src/shared/money.ts';
import { isPaid, type PaymentStatus } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import type { EventSource } from '../store/events.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import { OPEN_REFUND_STATUSES, sumRefunds } from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import { ProviderError, type ProviderVerdict } from '../providers/types.ts';
import { ATTENTION } from './attention.ts';
import type { RefundOutcome } from './refund-settle.ts';
import { applyTransition, setAttention, type AttentionChange, type TransitionHooks, type TransitionResult } from './transition.ts';

/** The store, and the bus published to after commit. The service's, poller's and notification handler's
 *  own deps fit as they are. */
export interface OutcomeDeps {
  db: Kysely<Database>;
  bus: EventBus;
}

const DECLINED = { code: 'declined', message: 'The wallet declined the payment.' };

/** Applies a provider verdict. A reversal reported for a payment we still had open means it was captured
 *  first: the history records both steps rather than forcing a transition the table forbids. A capture
 *  reported for a payment we had closed unpaid cannot be applied either — it is raised for staff. */
export async function recordVerdict(
  deps: OutcomeDeps,
  paymentId: string,
  verdict: ProviderVerdict,
  source: EventSource,
  hooks: TransitionHooks = {},
  /** A flag change to commit with the verdict's own transition (a void clears the flag it raised). */
  attention?: AttentionChange,
): Promise<TransitionResult> {
  const { db, bus } = deps;
  const to: PaymentStatus = verdict.status;
  const base = { paymentId, source, raw: verdict.raw, providerRef: verdict.providerRef, qr: verdict.qr };
  if (to === 'expired') {
    // A process that died before recording the provider's first answer left `created`; the provider had the
    // payment waiting (pending) until its window closed. The history records both steps.
    const current = await getPayment(db, paymentId);
    if (current?.status === 'created') await applyTransition(db, bus, { ...base, to: 'pending' }, hooks);
  }
  if (to === 'reversed') {
    const current = await getPayment(db, paymentId);
    if (current && (current.status === 'created' || current.status === 'pending')) {
      await applyTransition(db, bus, { ...base, to: 'succeeded' }, hooks);
    }
    if (current && isPaid(current.status)) {
      // Our own refunds gave every cent back: their rows (settled by the refund follow-up) say how much and
      // make the payment `refunded`; a `reversed` read off the provider's totals would hide them. Refunds
      // that add up to less cannot explain it — money went back another way (a void, a cancel that landed
      // as the customer paid) and must not be dropped: succeeded → reversed records it.
      const ours = await sumRefunds(db, paymentId, [...OPEN_REFUND_STATUSES, 'succeeded']);
      if (ours >= current.amount.value) return { applied: false, noop: true, from: current.status, payment: current, eventId: null };
      if (current.status === 'partially_refunded') {
        // The table has no way from partially_refunded to reversed: the books cannot follow on their own.
        const r = await applyTransition(db, bus, { ...base, to }, hooks);
        const flagged = await setAttention(db, bus, {
          paymentId,
          on: true,
          reason: ATTENTION.returnedElsewhere,
          source,
          detail: { refundedByUs: ours, provider: verdict.raw },
        });
        return { ...r, payment: flagged.payment };
      }
    }
  }
  const failure = to === 'failed' ? (verdict.failure ?? DECLINED) : to === 'cancelled' ? verdict.failure : undefined;
  const r = await applyTransition(db, bus, { ...base, to, ...(failure ? { failure } : {}), ...(attention ? { attention } : {}) }, hooks);
  if (!r.applied && !r.noop && to === 'succeeded' && (r.from === 'failed' || r.from === 'cancelled')) {
    const flagged = await setAttention(db, bus, { paymentId, on: true, reason: ATTENTION.paidAfterClose, source, detail: verdict.raw });
    return { ...r, payment: flagged.payment };
  }
  return r;
}

/** THE reading of a provider call that ended without a verdict. `unknown`: the request may have moved
 *  money (timeout after send, 5xx, reset). `refused`: the provider refused it before processing; nothing
 *  moved. Anything that is not a ProviderError is our own failure, not the provider's word: rethrown. */
export function noVerdict(err: unknown): { outcome: 'unknown' | 'refused'; error: ProviderError } {
  if (!(err instanceof ProviderError)) throw err;
  return { outcome: err.outcomeUnknown ? 'unknown' : 'refused', error: err };
}

export interface ErrorRecorded {
  payment: Payment;
  /** `unchanged`: a refused cancel leaves the payment as it was. */
  outcome: 'unknown' | 'failed' | 'unchanged';
  error: ProviderError;
}

/** A charge or cancel of `p` ended without a verdict (see noVerdict). Unknown outcome: the payment becomes
 *  `unknown` and keeps whatever id the provider gave us; the reconciler's query settles it. Refused: a charge
 *  is `failed` (nothing was charged, the cashier may try again); a cancel changes nothing. */
export async function recordProviderError(
  deps: OutcomeDeps,
  p: Payment,
  err: unknown,
  call: 'charge' | 'cancel',
  source: EventSource,
  hooks: TransitionHooks = {},
): Promise<ErrorRecorded> {
  const { outcome, error } = noVerdict(err);
  const raw = errorPayload(error);
  if (outcome === 'unknown') {
    const r = await applyTransition(
      deps.db,
      deps.bus,
      { paymentId: p.id, to: 'unknown', source, raw, providerRef: error.providerRef },
      hooks,
    );
    return { payment: r.payment, outcome: 'unknown', error };
  }
  if (call === 'cancel') return { payment: p, outcome: 'unchanged', error };
  const r = await applyTransition(
    deps.db,
    deps.bus,
    {
      paymentId: p.id,
      to: 'failed',
      source,
      raw,
      providerRef: error.providerRef,
      failure: chargeRefusal(p, error),
    },
    hooks,
  );
  return { payment: r.payment, outcome: 'failed', error };
}

function chargeRefusal(p: Payment, err: ProviderError): { code: string; message: string } {
  if (err.retryAfterMs === undefined) return { code: err.code, message: err.message };
  // Throttled (429): refused before processing, so the cashier can simply try again a little later.
  const seconds = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
  return { code: 'provider_busy', message: `${p.provider} is busy right now and nothing was charged. Try again in ${seconds} s.` };
}

function errorPayload(err: ProviderError): unknown {
  return {
    error: { code: err.code, message: err.message, outcomeUnknown: err.outcomeUnknown, providerRef: err.providerRef },
    raw: err.raw,
  };
}

/** The same reading for a refund call: an unknown outcome leaves the refund open (a resend with the same
 *  refund reference tells); a refusal fails it — nothing was refunded. */
export function refundOutcomeOfError(err: unknown): RefundOutcome {
  const { outcome, error } = noVerdict(err);
  return outcome === 'unknown'
    ? { status: 'unknown', raw: { error: { code: error.code, message: error.message }, raw: error.raw } }
    : { status: 'failed', failure: { code: error.code, message: `The provider refused the refund: ${error.message}` }, raw: error.raw };
}

/** The provider has no record of our reference, past the grace period for a request still on its way: our
 *  request never arrived, so no money can have moved. */
export async function recordNeverReached(deps: OutcomeDeps, p: Payment): Promise<TransitionResult> {
  return applyTransition(deps.db, deps.bus, {
    paymentId: p.id,
    to: 'failed',
    source: 'poll',
    raw: { query: null, reference: p.reference },
    failure: { code: 'not_created', message: 'The payment never reached the wallet provider; nothing was charged. Try again.' },
  });
}

/** The provider answered a query: a flag raised because it did not is over (other reasons stay for staff). */
export async function recordAnswered(deps: OutcomeDeps, p: Payment, source: EventSource): Promise<void> {
  if (!p.needsAttention) return;
  await setAttention(deps.db, deps.bus, { paymentId: p.id, on: false, source, onlyIfReason: ATTENTION.noAnswer });
}

/** The reconciler has asked several times in a row without an answer: staff should look. */
export async function recordNoAnswer(deps: OutcomeDeps, paymentId: string, detail: unknown): Promise<void> {
  await setAttention(deps.db, deps.bus, { paymentId, on: true, reason: ATTENTION.noAnswer, source: 'reconciler', detail });
}

/** The provider reports another amount than ours: never marked paid on its word; staff compare. */
export async function recordAmountMismatch(deps: OutcomeDeps, paymentId: string, ours: Money, theirs: Money): Promise<void> {
  await setAttention(deps.db, deps.bus, {
    paymentId,
    on: true,
    reason: ATTENTION.amountMismatch,
    source: 'webhook',
    detail: { ours, theirs },
  });
}

/** A refund of the payment has had no verdict for several rounds (on), or has one now (off). */
export async function recordRefundUnconfirmed(deps: OutcomeDeps, paymentId: string, on: boolean, detail: unknown): Promise<void> {
  await setAttention(deps.db, deps.bus, {
    paymentId,
    on,
    reason: ATTENTION.refundUnconfirmed,
    onlyIfReason: ATTENTION.refundUnconfirmed,
    source: 'reconciler',
    detail,
  });
}
