// Recording a refund's outcome. The refund row and the payment move together, in one DB transaction: the row
// is compare-and-set from its open status, the payment's refunded total is recomputed from the SUCCEEDED
// refunds (never incremented, so a replayed answer cannot count twice), and the payment's
// partially_refunded/refunded status goes through transitionIn — the one write path — in the same commit.
import type { Kysely } from 'kysely';
import type { RefundView } from '../../src/shared/api.ts';
import type { EventBus } from '../events/bus.ts';
import type { EventSource } from '../store/events.ts';
import { getPayment, lockPayment } from '../store/payments.ts';
import { casRefund, getRefund, OPEN_REFUND_STATUSES, sumRefunds, type Refund, type RefundStatus } from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import { transitionIn, type TransitionResult } from './transition.ts';

export interface RefundOutcome {
  status: RefundStatus;
  providerRef?: string;
  failure?: { code: string; message: string };
  raw: unknown;
}

export interface SettleResult {
  refund: Refund;
  /** Whether the refund row changed. */
  changed: boolean;
  transition: TransitionResult | null;
}

class LostRace extends Error {}

const MAX_ATTEMPTS = 5;

export function toRefundView(r: Refund): RefundView {
  return {
    id: r.id,
    paymentId: r.paymentId,
    amount: r.amount,
    status: r.status,
    providerRef: r.providerRef,
    ...(r.failure ? { failure: r.failure } : {}),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export async function settleRefund(
  db: Kysely<Database>,
  bus: EventBus,
  refundId: string,
  outcome: RefundOutcome,
  source: EventSource,
): Promise<SettleResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let result: SettleResult;
    try {
      result = await db.transaction().execute(async (trx): Promise<SettleResult> => {
        const found = await getRefund(trx, refundId);
        if (!found) throw new Error(`refund ${refundId} not found`);
        // Serialise with every other settle of this payment before reading anything we sum (see lockPayment).
        await lockPayment(trx, found.paymentId);
        const refund = (await getRefund(trx, refundId))!;
        // A final refund stays final; hearing the same open status again is not a change.
        if (!OPEN_REFUND_STATUSES.includes(refund.status) || refund.status === outcome.status)
          return { refund, changed: false, transition: null };
        const now = new Date().toISOString();
        const moved = await casRefund(trx, refund.id, refund.status, {
          status: outcome.status,
          providerRef: outcome.providerRef ?? null,
          failure: outcome.status === 'failed' ? (outcome.failure ?? DECLINED) : null,
          now,
        });
        if (!moved) throw new LostRace();
        let transition: TransitionResult | null = null;
        if (outcome.status === 'succeeded') {
          const total = await sumRefunds(trx, refund.paymentId, ['succeeded']);
          const payment = (await getPayment(trx, refund.paymentId))!;
          const full = total >= payment.amount.value;
          transition = await transitionIn(trx, {
            paymentId: refund.paymentId,
            to: full ? 'refunded' : 'partially_refunded',
            source,
            refundedValue: total,
            raw: {
              refund: { id: refund.id, reference: refund.refundReference, amount: refund.amount },
              refundedTotal: total,
              provider: outcome.raw,
            },
            // Every cent is back with the customer: whatever staff were asked to look at is settled.
            ...(full && payment.needsAttention ? { attention: { on: false } } : {}),
          });
          if (transition === null) throw new LostRace();
        }
        return { refund: (await getRefund(trx, refund.id))!, changed: true, transition };
      });
    } catch (err) {
      if (err instanceof LostRace) continue;
      throw err;
    }
    const t = result.transition;
    if (t?.applied && t.eventId !== null) bus.publish({ eventId: t.eventId, payment: t.payment });
    return result;
  }
  throw new Error(`refund ${refundId}: kept changing under us; gave up after ${MAX_ATTEMPTS} attempts`);
}

const DECLINED = { code: 'refund_declined', message: 'The provider declined the refund; nothing was refunded.' };
