// Payment use-cases: create (idempotent), cancel, read. The order of steps is the money-safety argument:
// validate → commit a `created` row → call the provider → record its verdict through applyTransition.
// A crash after the commit leaves a row the reconciler finds on restart; nothing is sent that is not recorded.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CreatePaymentRequest } from '../../src/shared/api.ts';
import { isOpen, isPaid, type PaymentStatus } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { appendEvent } from '../store/events.ts';
import {
  findByIdempotencyKey, getPayment, getTerminalPayment, insertPayment, listOrderPayments, type Payment,
} from '../store/payments.ts';
import { OPEN_REFUND_STATUSES, sumRefunds } from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import type { StoreConfig } from '../store/store-config.ts';
import type { TerminalRow } from '../store/terminals.ts';
import type { AdapterRegistry } from './adapters.ts';
import { ApiError } from './api-error.ts';
import { ATTENTION } from './attention.ts';
import { applyTransition, setAttention, type TransitionResult } from './transition.ts';
import { ProviderError, type PaymentAdapter, type ProviderVerdict } from '../providers/types.ts';
import { maskCode, providerReference, requestHash } from './reference.ts';
import { validatePaymentRequest } from './validate.ts';
import type { EventSource } from '../store/events.ts';
import { crashPoint, crashWhileCalling } from '../crash-hooks.ts';

export interface Watcher {
  watch(paymentId: string, opts?: { cancel?: boolean }): void;
}

export interface ServiceDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  stores: Map<string, StoreConfig>;
  maxAmountMinor: number;
  /** Base for provider notify URLs; a function because in tests the port is known only after listen. */
  publicUrl: () => string;
  watcher: Watcher;
  /** Payments with a provider call under way (shared with the poller and the webhook handler). */
  inFlight?: Set<string>;
}

const DECLINED = { code: 'declined', message: 'The wallet declined the payment.' };

export class PaymentService {
  /** Payments whose charge or cancel call is still running; the reconciler leaves them alone, and a
   *  notification only applies a capture to them (see notifications.ts). */
  readonly inFlight: Set<string>;

  constructor(private readonly deps: ServiceDeps) {
    this.inFlight = deps.inFlight ?? new Set();
  }

  storeOf(terminal: TerminalRow): StoreConfig {
    const store = this.deps.stores.get(terminal.store_id);
    if (!store) throw new Error(`terminal ${terminal.id} belongs to unknown store ${terminal.store_id}`);
    return store;
  }

  maxAmountFor(store: StoreConfig): number {
    return Math.min(store.maxAmount.value, this.deps.maxAmountMinor);
  }

  /** `key` and `body` have passed the route's schemas (shape only; the rules are checked here). */
  async create(terminal: TerminalRow, key: string, body: CreatePaymentRequest): Promise<{ payment: Payment; replayed: boolean }> {
    const hash = requestHash(body);
    const replay = await this.replayOf(terminal.id, key, hash);
    if (replay) return { payment: replay, replayed: true };

    const store = this.storeOf(terminal);
    const req = validatePaymentRequest(body, store, this.maxAmountFor(store), this.deps.adapters);
    const now = new Date().toISOString();
    const id = `pay_${randomUUID()}`;
    const reference = providerReference(terminal.id, key);
    let createdEventId: number;
    try {
      createdEventId = await this.deps.db.transaction().execute(async (trx) => {
        const previous = await listOrderPayments(trx, terminal.id, req.orderId);
        this.assertOrderCanPay(previous);
        await insertPayment(trx, {
          id, terminalId: terminal.id, orderId: req.orderId, idempotencyKey: key, requestHash: hash, mode: req.mode,
          provider: req.provider, vendor: req.vendor, amount: req.amount, reference,
          codeMasked: req.code ? maskCode(req.code) : null, now,
        });
        return appendEvent(trx, {
          paymentId: id, terminalId: terminal.id, from: null, to: 'created', source: 'create', applied: true,
          payload: { orderId: req.orderId, amount: req.amount, mode: req.mode, vendor: req.vendor, provider: req.provider }, now,
        });
      });
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // A unique index fired: a concurrent request with the same key, or another open attempt for the order.
      const again = await this.replayOf(terminal.id, key, hash);
      if (again) return { payment: again, replayed: true };
      const previous = await listOrderPayments(this.deps.db, terminal.id, req.orderId);
      this.assertOrderCanPay(previous);
      throw err;
    }
    const created = (await getPayment(this.deps.db, id))!;
    this.deps.bus.publish({ eventId: createdEventId, payment: created });

    crashPoint('before_send');
    this.inFlight.add(id);
    let payment: Payment;
    const disarm = crashWhileCalling();
    try {
      payment = req.mode === 'cpm'
        ? await this.callProvider(created, () => req.adapter.chargeCode({ reference, amount: req.amount, code: req.code!, vendor: req.vendor! }))
        : await this.callProvider(created, () => req.adapter.createQr!({
          reference, amount: req.amount, vendor: req.vendor ?? undefined, notifyUrl: `${this.deps.publicUrl()}/webhooks/${req.provider}`,
        }));
    } catch (err) {
      // Not a provider answer but our own failure (e.g. the store): the reconciler finds out what happened.
      this.deps.watcher.watch(id);
      throw err;
    } finally {
      disarm();
      this.inFlight.delete(id);
    }
    if (isOpen(payment.status)) this.deps.watcher.watch(id);
    return { payment, replayed: false };
  }

  private async replayOf(terminalId: string, key: string, hash: string): Promise<Payment | undefined> {
    const existing = await findByIdempotencyKey(this.deps.db, terminalId, key);
    if (!existing) return undefined;
    if (existing.requestHash !== hash) {
      throw new ApiError(409, 'idempotency_conflict', 'This Idempotency-Key was already used for a different request. Use a new key for a new attempt.', { paymentId: existing.id });
    }
    return existing;
  }

  private assertOrderCanPay(previous: Payment[]): void {
    const open = previous.find((p) => isOpen(p.status));
    if (open) {
      throw new ApiError(409, 'order_has_open_payment', 'This order already has a payment in progress. Wait for it or cancel it first.', { paymentId: open.id, status: open.status });
    }
    const paid = previous.find((p) => isPaid(p.status));
    if (paid) throw new ApiError(409, 'order_already_paid', 'This order is already paid.', { paymentId: paid.id, status: paid.status });
  }

  /** Runs one provider call and records its outcome. Never throws for provider trouble: that is a state. */
  private async callProvider(p: Payment, call: () => Promise<ProviderVerdict>): Promise<Payment> {
    try {
      const verdict = await call();
      const r = await recordVerdict(this.deps.db, this.deps.bus, p.id, verdict, 'sync');
      // Test-only (crash-hooks.ts): normally fires inside the write's transaction; here when there was
      // nothing left to write (a notification recorded the same verdict first).
      crashPoint('before_write');
      return r.payment;
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.outcomeUnknown) {
        // The request may have moved money: only a query can tell. Keep whatever id the provider gave us.
        const r = await applyTransition(this.deps.db, this.deps.bus, {
          paymentId: p.id, to: 'unknown', source: 'sync', raw: errorPayload(err), providerRef: err.providerRef,
        });
        return r.payment;
      }
      // Refused before processing (e.g. 429): nothing was charged; the cashier may simply try again.
      const failure = err.retryAfterMs !== undefined
        ? { code: 'provider_busy', message: `${p.provider} is busy right now and nothing was charged. Try again in ${Math.max(1, Math.ceil(err.retryAfterMs / 1000))} s.` }
        : { code: err.code, message: err.message };
      const r = await applyTransition(this.deps.db, this.deps.bus, {
        paymentId: p.id, to: 'failed', source: 'sync', raw: errorPayload(err), providerRef: err.providerRef, failure,
      });
      return r.payment;
    }
  }

  async get(terminal: TerminalRow, id: string): Promise<Payment> {
    const p = await getTerminalPayment(this.deps.db, terminal.id, id);
    if (!p) throw new ApiError(404, 'not_found', 'No such payment.');
    return p;
  }

  async cancel(terminal: TerminalRow, id: string): Promise<{ payment: Payment; accepted: boolean }> {
    const p = await this.get(terminal, id);
    if (!isOpen(p.status)) {
      throw new ApiError(409, 'payment_not_open', `This payment is ${p.status} and can no longer be cancelled.`, { status: p.status, payment: p.id });
    }
    if (this.inFlight.has(p.id) || p.status === 'created') {
      // The charge request is still on its way; cancelling now could race it at the provider. The reconciler
      // cancels as soon as the provider has answered.
      this.deps.watcher.watch(p.id, { cancel: true });
      return { payment: p, accepted: true };
    }
    const adapter = this.adapterFor(p);
    // Our own cancel makes Pockyt notify `closed`; that notification must not overtake the cancel's answer.
    this.inFlight.add(p.id);
    try {
      const verdict = await adapter.cancel({ reference: p.reference, providerRef: p.providerRef ?? undefined });
      const r = await recordVerdict(this.deps.db, this.deps.bus, p.id, verdict, 'cashier');
      if (isOpen(r.payment.status)) this.deps.watcher.watch(p.id, { cancel: true });
      return { payment: r.payment, accepted: false };
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.outcomeUnknown) {
        const r = await applyTransition(this.deps.db, this.deps.bus, { paymentId: p.id, to: 'unknown', source: 'cashier', raw: errorPayload(err) });
        this.deps.watcher.watch(p.id, { cancel: true });
        return { payment: r.payment, accepted: true };
      }
      if (err.retryAfterMs !== undefined) {
        // Throttled (429) before anything happened: the reconciler cancels once the provider lets us back in.
        this.deps.watcher.watch(p.id, { cancel: true });
        return { payment: p, accepted: true };
      }
      this.deps.watcher.watch(p.id);
      throw new ApiError(502, 'cancel_failed', `The provider refused the cancel: ${err.message}`, { code: err.code });
    } finally {
      this.inFlight.delete(p.id);
    }
  }

  private adapterFor(p: Payment): PaymentAdapter {
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) throw new ApiError(503, 'provider_unavailable', `${p.provider} is not available right now.`);
    return adapter;
  }
}

export function errorPayload(err: ProviderError): unknown {
  return { error: { code: err.code, message: err.message, outcomeUnknown: err.outcomeUnknown, providerRef: err.providerRef }, raw: err.raw };
}

/** Applies a provider verdict. A reversal reported for a payment we still had open means it was captured
 *  first: the history records both steps rather than forcing a transition the table forbids. A capture
 *  reported for a payment we had closed unpaid cannot be applied either — it is raised for staff. */
export async function recordVerdict(
  db: Kysely<Database>, bus: EventBus, paymentId: string, verdict: ProviderVerdict, source: EventSource,
): Promise<TransitionResult> {
  const to: PaymentStatus = verdict.status;
  const base = { paymentId, source, raw: verdict.raw, providerRef: verdict.providerRef, qr: verdict.qr };
  if (to === 'expired') {
    // A process that died before recording the provider's first answer left `created`; the provider had the
    // payment waiting (pending) until its window closed. The history records both steps.
    const current = await getPayment(db, paymentId);
    if (current?.status === 'created') await applyTransition(db, bus, { ...base, to: 'pending' });
  }
  if (to === 'reversed') {
    const current = await getPayment(db, paymentId);
    if (current && (current.status === 'created' || current.status === 'pending')) {
      await applyTransition(db, bus, { ...base, to: 'succeeded' });
    }
    // Our own refunds gave the money back: their rows (settled by the refund follow-up) say how much and
    // make the payment `refunded`; a `reversed` read off the provider's totals would hide them.
    if (current && isPaid(current.status) && (await sumRefunds(db, paymentId, [...OPEN_REFUND_STATUSES, 'succeeded'])) > 0) {
      return { applied: false, noop: true, from: current.status, payment: current, eventId: null };
    }
  }
  const r = await applyTransition(db, bus, { ...base, to, ...(to === 'failed' ? { failure: verdict.failure ?? DECLINED } : {}), ...(to === 'cancelled' && verdict.failure ? { failure: verdict.failure } : {}) });
  if (!r.applied && !r.noop && to === 'succeeded' && (r.from === 'failed' || r.from === 'cancelled')) {
    const flagged = await setAttention(db, bus, { paymentId, on: true, reason: ATTENTION.paidAfterClose, source, detail: verdict.raw });
    return { ...r, payment: flagged.payment };
  }
  return r;
}
