// THE one write path for payment status (DESIGN §6). Whatever the source — the synchronous provider answer,
// a poll, a webhook, the reconciler, the cashier — a status change is: read the row, check the transition
// table, compare-and-set on (id, status), append an event row, commit, and only then publish.
// Refused changes (stale, out of order) are recorded as not applied and never forced. Hearing the status we
// already have is not a change at all: nothing is written (a poll every second would otherwise flood the log).
// The needs-attention flag is written here too, for the same reasons: one event row, published after commit.
// What the provider said is kept in the event row with customer payment codes masked (audit-copy.ts).
// Callers: outcome.ts (what a provider's verdict, error or silence does), refund-settle.ts (a refund row and
// the payment's total in one commit) and staff-actions.ts / voids.ts (flags staff raise and clear); nothing else.
import type { Kysely, Transaction } from 'kysely';
import { canTransition, isOpen, type PaymentStatus } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { appendEvent, type EventSource } from '../store/events.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import { ATTENTION } from './attention.ts';
import { auditFailure, auditPayload } from './audit-copy.ts';
import { assignReceipt } from './receipts.ts';

export interface AttentionChange {
  on: boolean;
  /** Required when raising; see attention.ts. */
  reason?: string;
  /** When clearing: only clear a flag raised for this reason (the poller must not clear a late-payment flag). */
  onlyIfReason?: string;
}

export interface TransitionInput {
  paymentId: string;
  to: PaymentStatus;
  source: EventSource;
  /** What the provider (or actor) said; stored in the event row for audit. */
  raw: unknown;
  providerRef?: string;
  failure?: { code: string; message: string };
  late?: boolean;
  qr?: { payload: string; expiresAt: string; shortCode?: string };
  /** The new sum of succeeded refunds (minor units), written with a partially_refunded/refunded status. */
  refundedValue?: number;
  /** Raise or clear needsAttention in the same commit as the status change. */
  attention?: AttentionChange;
}

export interface TransitionResult {
  applied: boolean;
  /** true when the payment already had this status: nothing was written or published. */
  noop: boolean;
  from: PaymentStatus;
  payment: Payment;
  /** The event row written (applied or refused); null for a no-op. */
  eventId: number | null;
}

export interface TransitionHooks {
  /** The change and its event row are written, not yet committed (crash tests: payments/hooks.ts beforeWrite). */
  beforeCommit?(): void;
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

function attentionColumns(a: AttentionChange | undefined, current: Payment, now: string) {
  if (!a) return {};
  if (!a.on && a.onlyIfReason !== undefined && current.attentionReason !== a.onlyIfReason) return {};
  if (!a.on) return { needs_attention: 0, attention_reason: null, attention_at: null };
  // Keep the first "since" while the same reason persists; staff sort by how long something has waited.
  const since = current.needsAttention && current.attentionReason === a.reason ? (current.attentionAt ?? now) : now;
  return { needs_attention: 1, attention_reason: a.reason ?? 'unspecified', attention_at: since };
}

/** The body of a transition inside a caller's DB transaction (refunds settle a child row and the payment in
 *  one commit). null: the compare-and-set lost a race — the caller rolls back and starts over. The caller
 *  publishes to the bus after its commit. */
export async function transitionIn(
  trx: Transaction<Database>,
  input: TransitionInput,
  hooks: TransitionHooks = {},
): Promise<TransitionResult | null> {
  const current = await getPayment(trx, input.paymentId);
  if (!current) throw new PaymentNotFoundError(input.paymentId);
  const now = new Date().toISOString();
  const from = current.status;
  if (!canTransition(from, input.to)) {
    if (from === input.to) return { applied: false, noop: true, from, payment: current, eventId: null };
    const eventId = await appendEvent(trx, {
      paymentId: current.id,
      terminalId: current.terminalId,
      from,
      to: input.to,
      source: input.source,
      applied: false,
      payload: auditPayload(current, input.raw),
      now,
    });
    return { applied: false, noop: false, from, payment: current, eventId };
  }
  const late = input.late === true || (from === 'expired' && input.to === 'succeeded');
  // Money that arrives after we told the cashier the window closed: the goods may have left unpaid-for
  // or been paid another way. Either way a person has to look.
  // A verdict (anything but `unknown`) means the provider answered, whichever path brought it: a flag
  // raised because it would not answer is over.
  const answered = input.to !== 'unknown' && current.needsAttention && current.attentionReason === ATTENTION.noAnswer;
  const attention = input.attention ?? (late ? { on: true, reason: ATTENTION.latePayment } : answered ? { on: false } : undefined);
  const failure = auditFailure(current, input.to === 'failed' || input.to === 'cancelled' ? input.failure : undefined);
  const cas = await trx
    .updateTable('payments')
    .set({
      status: input.to,
      updated_at: now,
      provider_ref: input.providerRef ?? current.providerRef,
      ...(failure ? { failure_code: failure.code, failure_message: failure.message } : {}),
      ...(late ? { late: 1 } : {}),
      ...(input.qr ? { qr_payload: input.qr.payload, qr_expires_at: input.qr.expiresAt, qr_short_code: input.qr.shortCode ?? null } : {}),
      ...(input.refundedValue !== undefined ? { refunded_value: input.refundedValue } : {}),
      ...(isOpen(input.to) ? {} : { next_check_at: null }),
      ...attentionColumns(attention, current, now),
    })
    .where('id', '=', current.id)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(cas.numUpdatedRows) !== 1) return null;
  if (input.to === 'succeeded') await assignReceipt(trx, current);
  const eventId = await appendEvent(trx, {
    paymentId: current.id,
    terminalId: current.terminalId,
    from,
    to: input.to,
    source: input.source,
    applied: true,
    payload: auditPayload(current, input.raw),
    now,
  });
  hooks.beforeCommit?.();
  const payment = await getPayment(trx, current.id);
  return { applied: true, noop: false, from, payment: payment!, eventId };
}

export async function applyTransition(
  db: Kysely<Database>,
  bus: EventBus | null,
  input: TransitionInput,
  hooks: TransitionHooks = {},
): Promise<TransitionResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await db.transaction().execute((trx) => transitionIn(trx, input, hooks));
    if (result) {
      if (result.applied && result.eventId !== null) bus?.publish({ eventId: result.eventId, payment: result.payment });
      return result;
    }
  }
  throw new Error(`payment ${input.paymentId}: status kept changing under us; gave up after ${MAX_ATTEMPTS} attempts`);
}

export interface AttentionInput extends AttentionChange {
  paymentId: string;
  source: EventSource;
  /** What led to it (error, provider answer); kept in the event row. */
  detail?: unknown;
}

/** Raises or clears needsAttention without a status change. Returns whether anything changed; a change is
 *  an applied event row (from = to = current status) and an SSE push, like any status change. */
export async function setAttention(
  db: Kysely<Database>,
  bus: EventBus | null,
  input: AttentionInput,
): Promise<{ changed: boolean; payment: Payment }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await db.transaction().execute(async (trx) => {
      const current = await getPayment(trx, input.paymentId);
      if (!current) throw new PaymentNotFoundError(input.paymentId);
      const same = input.on
        ? current.needsAttention && current.attentionReason === (input.reason ?? 'unspecified')
        : !current.needsAttention || (input.onlyIfReason !== undefined && current.attentionReason !== input.onlyIfReason);
      if (same) return { changed: false, payment: current, eventId: null as number | null };
      const now = new Date().toISOString();
      const cas = await trx
        .updateTable('payments')
        .set({ updated_at: now, ...attentionColumns(input, current, now) })
        .where('id', '=', current.id)
        .where('status', '=', current.status)
        .where('needs_attention', '=', current.needsAttention ? 1 : 0)
        .executeTakeFirst();
      if (Number(cas.numUpdatedRows) !== 1) return null;
      const eventId = await appendEvent(trx, {
        paymentId: current.id,
        terminalId: current.terminalId,
        from: current.status,
        to: current.status,
        source: input.source,
        applied: true,
        payload: auditPayload(current, {
          needsAttention: input.on,
          reason: input.on ? input.reason : current.attentionReason,
          detail: input.detail,
        }),
        now,
      });
      return { changed: true, payment: (await getPayment(trx, current.id))!, eventId };
    });
    if (result) {
      if (result.changed && result.eventId !== null) bus?.publish({ eventId: result.eventId, payment: result.payment });
      return { changed: result.changed, payment: result.payment };
    }
  }
  throw new Error(`payment ${input.paymentId}: kept changing under us while setting needsAttention`);
}
