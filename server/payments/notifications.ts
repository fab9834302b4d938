// Provider notifications (webhooks/IPNs), provider-neutral (DESIGN §6, §10). A notification is a hint, never
// the truth: after de-duplication we ask the provider (adapter.query) and apply THAT through the one write
// path with source 'webhook'. A notification for a payment we do not know changes nothing.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { ProviderName } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { findByProviderRef, findByReference, getPayment, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import { recordDelivery, setWebhookOutcome } from '../store/webhook-events.ts';
import type { AdapterRegistry } from './adapters.ts';
import { auditNotificationBody } from './audit-copy.ts';
import type { ProviderVerdict, VerifiedNotification } from '../providers/types.ts';
import { recordAmountMismatch, recordVerdict } from './outcome.ts';
import type { Watcher } from './service.ts';

/** A verified notification (the provider module's parseWebhook) and the provider it came from. */
export interface Notification extends VerifiedNotification {
  provider: ProviderName;
}

export type NotificationOutcome =
  | 'processing'
  | 'applied'
  | 'no_change'
  | 'refused'
  | 'disagrees'
  | 'deferred'
  | 'unknown_payment'
  | 'reference_mismatch'
  | 'not_found_at_provider'
  | 'amount_mismatch'
  | 'query_failed';

export interface NotificationResult {
  /** Acknowledge (the provider stops retrying). false: we could not confirm — let the provider retry. */
  ack: boolean;
  /** A NotificationOutcome; a duplicate repeats whatever was stored for its first delivery. */
  outcome: string;
  duplicate: boolean;
  paymentId?: string;
}

// A delivery that did not get its answer (crash mid-way, provider query failed) is worked again on retry.
const RETRYABLE = new Set(['processing', 'query_failed']);

export interface NotificationDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  /** Whether an instance's own charge or cancel call on the payment is under way (its row lease says so:
   *  payments/leases.ts), whichever instance made it. */
  callUnderWay(p: Payment): boolean;
  watcher: Watcher;
}

export async function handleNotification(deps: NotificationDeps, n: Notification, log: FastifyBaseLogger): Promise<NotificationResult> {
  // Looked up first so the body is kept with that payment's code masked too (audit-copy.ts), wherever the
  // provider put it.
  const found = await findPayment(deps.db, n);
  const rawBody = auditNotificationBody(n.provider, n.rawBody, 'payment' in found ? found.payment : undefined);
  const { first, event } = await recordDelivery(deps.db, { provider: n.provider, eventId: n.eventId, rawBody, outcome: 'processing' });
  if (!first && !RETRYABLE.has(event.outcome)) {
    log.info(
      { provider: n.provider, eventId: n.eventId, outcome: event.outcome, duplicates: event.duplicates },
      'duplicate notification acknowledged',
    );
    return { ack: true, outcome: event.outcome, duplicate: true, paymentId: event.paymentId ?? undefined };
  }
  const done = async (r: Omit<NotificationResult, 'duplicate'>): Promise<NotificationResult> => {
    await setWebhookOutcome(deps.db, event.id, r.outcome, r.paymentId ?? null);
    return { ...r, duplicate: !first };
  };

  if ('problem' in found) {
    log.warn({ provider: n.provider, eventId: n.eventId, reference: n.reference }, `notification ignored: ${found.problem}`);
    return done({ ack: true, outcome: found.problem });
  }
  const p = found.payment;
  const adapter = deps.adapters.get(p.provider);
  let verdict: ProviderVerdict | null;
  try {
    if (!adapter) throw new Error(`${p.provider} is not configured`);
    verdict = await adapter.query({ reference: p.reference, providerRef: p.providerRef ?? n.providerRef });
  } catch (err) {
    // Without the provider's word nothing changes; the provider retries the notification and the
    // reconciler keeps asking in the meantime.
    log.warn(
      { provider: n.provider, eventId: n.eventId, paymentId: p.id, err: (err as Error).message },
      'notification not confirmed: provider query failed',
    );
    deps.watcher.watch(p.id);
    return done({ ack: false, outcome: 'query_failed', paymentId: p.id });
  }
  if (verdict === null) {
    log.warn({ provider: n.provider, eventId: n.eventId, paymentId: p.id }, 'notification ignored: the provider has no such transaction');
    return done({ ack: true, outcome: 'not_found_at_provider', paymentId: p.id });
  }

  if (verdict.status === 'succeeded' || verdict.status === 'reversed') {
    const amount = verdict.amount;
    if (amount && (amount.value !== p.amount.value || amount.currency !== p.amount.currency)) {
      log.error(
        { provider: n.provider, eventId: n.eventId, paymentId: p.id, ours: p.amount, theirs: amount },
        'provider amount differs from ours; not marking paid',
      );
      await recordAmountMismatch(deps, p.id, p.amount, amount);
      return done({ ack: true, outcome: 'amount_mismatch', paymentId: p.id });
    }
  }
  // Our own charge or cancel call (on any instance) is still out: its answer (or the reconciler, if it gets
  // none) records the outcome. Only a capture is applied now — nothing in flight can undo it, and the kiosk
  // should see it. Read again: the call may have started or ended while we asked the provider.
  if (verdict.status !== 'succeeded' && deps.callUnderWay((await getPayment(deps.db, p.id)) ?? p)) {
    deps.watcher.watch(p.id);
    return done({ ack: true, outcome: 'deferred', paymentId: p.id });
  }

  const r = await recordVerdict(deps, p.id, verdict, 'webhook');
  const disagrees = n.claimedStatus !== undefined && n.claimedStatus !== verdict.status;
  if (disagrees) {
    log.warn(
      { provider: n.provider, eventId: n.eventId, paymentId: p.id, claimed: n.claimedStatus, queried: verdict.status },
      'notification disagrees with the provider query; applied the query',
    );
  }
  if (n.claimedAmount && (n.claimedAmount.value !== p.amount.value || n.claimedAmount.currency !== p.amount.currency)) {
    log.warn({ provider: n.provider, eventId: n.eventId, paymentId: p.id }, 'notification amount differs from ours');
  }
  const outcome = disagrees ? 'disagrees' : r.applied ? 'applied' : r.noop ? 'no_change' : 'refused';
  log.info({ provider: n.provider, eventId: n.eventId, paymentId: p.id, status: r.payment.status, outcome }, 'notification processed');
  return done({ ack: true, outcome, paymentId: p.id });
}

async function findPayment(db: Kysely<Database>, n: Notification): Promise<{ payment: Payment } | { problem: NotificationOutcome }> {
  const byRef = n.providerRef ? await findByProviderRef(db, n.provider, n.providerRef) : undefined;
  const byReference = !byRef && n.reference ? await findByReference(db, n.provider, n.reference) : undefined;
  if (byRef && n.reference && byRef.reference !== n.reference) return { problem: 'reference_mismatch' };
  const p = byRef ?? byReference;
  if (!p) return { problem: 'unknown_payment' };
  // Our reference matched but the provider names another transaction than the one we recorded.
  if (!byRef && p.providerRef && n.providerRef && p.providerRef !== n.providerRef) return { problem: 'reference_mismatch' };
  return { payment: p };
}
