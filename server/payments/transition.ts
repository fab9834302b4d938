// THE one write path for payment status (DESIGN §6). Whatever the source — the synchronous provider answer,
// a poll, a webhook, the reconciler, the cashier — a status change is: read the row, check the transition
// table, compare-and-set on (id, status), append an event row, commit, and only then publish.
// Refused changes (stale, out of order, repeated) are recorded as not applied and never forced.
import type { Kysely } from 'kysely';
import { canTransition, isOpen, type PaymentStatus } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { appendEvent, type EventSource } from '../store/events.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';

export interface TransitionInput {
  paymentId: string;
  to: PaymentStatus;
  source: EventSource;
  /** What the provider (or actor) said; stored in the event row for audit. */
  raw: unknown;
  providerRef?: string;
  failure?: { code: string; message: string };
  late?: boolean;
  qr?: { payload: string; expiresAt: string };
}

export interface TransitionResult {
  applied: boolean;
  from: PaymentStatus;
  payment: Payment;
  eventId: number;
}

export class PaymentNotFoundError extends Error {
  constructor(id: string) {
    super(`payment ${id} not found`);
    this.name = 'PaymentNotFoundError';
  }
}

// On Postgres two instances can race between our read and our update; the CAS then matches no row and we
// start over from a fresh read. SQLite serialises writers, so the loop runs once there.
const MAX_ATTEMPTS = 5;

export async function applyTransition(db: Kysely<Database>, bus: EventBus | null, input: TransitionInput): Promise<TransitionResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await db.transaction().execute(async (trx): Promise<TransitionResult | null> => {
      const current = await getPayment(trx, input.paymentId);
      if (!current) throw new PaymentNotFoundError(input.paymentId);
      const now = new Date().toISOString();
      const from = current.status;
      if (!canTransition(from, input.to)) {
        const eventId = await appendEvent(trx, {
          paymentId: current.id, terminalId: current.terminalId, from, to: input.to, source: input.source,
          applied: false, payload: input.raw, now,
        });
        return { applied: false, from, payment: current, eventId };
      }
      const late = input.late === true || (from === 'expired' && input.to === 'succeeded');
      const failure = input.to === 'failed' || input.to === 'cancelled' ? input.failure : undefined;
      const cas = await trx
        .updateTable('payments')
        .set({
          status: input.to,
          updated_at: now,
          provider_ref: input.providerRef ?? current.providerRef,
          ...(failure ? { failure_code: failure.code, failure_message: failure.message } : {}),
          ...(late ? { late: 1 } : {}),
          ...(input.qr ? { qr_payload: input.qr.payload, qr_expires_at: input.qr.expiresAt } : {}),
          ...(isOpen(input.to) ? {} : { next_check_at: null }),
        })
        .where('id', '=', current.id)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(cas.numUpdatedRows) !== 1) return null;
      const eventId = await appendEvent(trx, {
        paymentId: current.id, terminalId: current.terminalId, from, to: input.to, source: input.source,
        applied: true, payload: input.raw, now,
      });
      const payment = await getPayment(trx, current.id);
      return { applied: true, from, payment: payment!, eventId };
    });
    if (result) {
      if (result.applied) bus?.publish({ eventId: result.eventId, payment: result.payment });
      return result;
    }
  }
  throw new Error(`payment ${input.paymentId}: status kept changing under us; gave up after ${MAX_ATTEMPTS} attempts`);
}
