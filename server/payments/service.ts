// Payment use-cases: create (idempotent), cancel, read. The order of steps is the money-safety argument:
// validate → commit a `created` row → call the provider → record its verdict or error (outcome.ts).
// A crash after the commit leaves a row the reconciler finds on restart; nothing is sent that is not recorded.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CreatePaymentRequest } from '../../src/shared/api.ts';
import { businessDay } from '../../src/shared/business-day.ts';
import { isOpen, isPaid } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { appendEvent } from '../store/events.ts';
import { findByIdempotencyKey, getPayment, getTerminalPayment, insertPayment, listOrderPayments, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import type { StoreConfig } from '../store/store-config.ts';
import type { TerminalRow } from '../store/terminals.ts';
import type { AdapterRegistry } from './adapters.ts';
import { ApiError } from './api-error.ts';
import type { Cancels } from './cancels.ts';
import type { Leases } from './leases.ts';
import { requestCancel } from '../store/leases.ts';
import { NO_HOOKS, type PaymentHooks } from './hooks.ts';
import { recordProviderError, recordVerdict } from './outcome.ts';
import type { PaymentAdapter, ProviderVerdict } from '../providers/types.ts';
import { maskCode, providerReference, requestHash } from './reference.ts';
import { validatePaymentRequest } from './validate.ts';

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
  /** Sends cancels (cancels.ts): the payment is held while a cancel's outcome is unknown. */
  cancels: Pick<Cancels, 'cancel'>;
  /** Row leases: the creating instance holds a payment while its charge call is out (payments/leases.ts). */
  leases: Leases;
  /** Seams at each step of a charge (crash tests); none in production. */
  hooks?: PaymentHooks;
}

export class PaymentService {
  private readonly hooks: PaymentHooks;

  constructor(private readonly deps: ServiceDeps) {
    this.hooks = deps.hooks ?? NO_HOOKS;
  }

  storeOf(terminal: TerminalRow): StoreConfig {
    const store = this.deps.stores.get(terminal.store_id);
    if (!store) throw new Error(`terminal ${terminal.id} belongs to unknown store ${terminal.store_id}`);
    return store;
  }

  maxAmountFor(store: StoreConfig): number {
    return Math.min(store.maxAmount.value, this.deps.maxAmountMinor);
  }

  /** `key` and `body` have passed the route's schemas (shape only; the rules are checked here). `by`: the
   *  staff member signed in at the tablet, recorded on the sale; `staffRequired` refuses a new sale without
   *  one (a replay of a sale already made is still answered: its key proves it was allowed). */
  async create(
    terminal: TerminalRow,
    key: string,
    body: CreatePaymentRequest,
    by: { staff: { id: string; name: string; role: string } | null; staffRequired: boolean } = { staff: null, staffRequired: false },
  ): Promise<{ payment: Payment; replayed: boolean }> {
    const hash = requestHash(body);
    const replay = await this.replayOf(terminal.id, key, hash);
    if (replay) return { payment: replay, replayed: true };
    if (by.staffRequired && !by.staff) {
      throw new ApiError(403, 'staff_sign_in_required', 'Sign in with your staff PIN to take payments on this tablet.');
    }

    const store = this.storeOf(terminal);
    const req = validatePaymentRequest(body, store, this.maxAmountFor(store), this.deps.adapters);
    const now = new Date().toISOString();
    const id = `pay_${randomUUID()}`;
    const reference = providerReference(terminal.id, key);
    let createdEventId: number;
    try {
      const written = await this.deps.db.transaction().execute(async (trx): Promise<{ replay: Payment } | { eventId: number }> => {
        const previous = await listOrderPayments(trx, terminal.id, req.orderId);
        // A request with this key that got here first (after our look-up above) is the payment this one
        // asks for — not "another payment in progress" for the order.
        const first = previous.find((p) => p.idempotencyKey === key);
        if (first) return { replay: this.sameRequest(first, hash) };
        this.assertOrderCanPay(previous);
        await insertPayment(trx, {
          id,
          terminalId: terminal.id,
          orderId: req.orderId,
          idempotencyKey: key,
          requestHash: hash,
          mode: req.mode,
          provider: req.provider,
          vendor: req.vendor,
          amount: req.amount,
          reference,
          codeMasked: req.code ? maskCode(req.code) : null,
          staffId: by.staff?.id ?? null,
          now,
          storeId: store.id,
          businessDay: businessDay(new Date(now), store.timezone),
          // While the charge call is out the reconciler (on any instance) leaves it alone, and a
          // notification only applies a capture to it (see notifications.ts).
          lease: this.deps.leases.forCharge(id),
        });
        return {
          eventId: await appendEvent(trx, {
            paymentId: id,
            terminalId: terminal.id,
            from: null,
            to: 'created',
            source: 'create',
            applied: true,
            payload: {
              orderId: req.orderId,
              amount: req.amount,
              mode: req.mode,
              vendor: req.vendor,
              provider: req.provider,
              ...(by.staff ? { staff: { id: by.staff.id, name: by.staff.name, role: by.staff.role } } : {}),
            },
            now,
          }),
        };
      });
      if ('replay' in written) return { payment: written.replay, replayed: true };
      createdEventId = written.eventId;
    } catch (err) {
      // Nothing was inserted: the charge's hold on the lease goes with it.
      this.deps.leases.let('payments', id, 'charge');
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

    this.hooks.beforeSend();
    let payment: Payment;
    const settled = this.hooks.whileCalling();
    try {
      payment =
        req.mode === 'cpm'
          ? await this.callProvider(created, () =>
              req.adapter.chargeCode({ reference, amount: req.amount, code: req.code!, vendor: req.vendor! }),
            )
          : await this.callProvider(created, () =>
              req.adapter.createQr!({
                reference,
                amount: req.amount,
                vendor: req.vendor ?? undefined,
                notifyUrl: `${this.deps.publicUrl()}/webhooks/${req.provider}`,
              }),
            );
      // Watched before the charge's mark is lifted, so the lease stays ours in between.
      if (isOpen(payment.status)) this.deps.watcher.watch(id);
    } catch (err) {
      // Not a provider answer but our own failure (e.g. the store): the reconciler finds out what happened.
      this.deps.watcher.watch(id);
      throw err;
    } finally {
      settled();
      await this.deps.leases.endCharge(id);
    }
    return { payment, replayed: false };
  }

  private async replayOf(terminalId: string, key: string, hash: string): Promise<Payment | undefined> {
    const existing = await findByIdempotencyKey(this.deps.db, terminalId, key);
    return existing && this.sameRequest(existing, hash);
  }

  /** The payment made under this request's key, if it was made for this very request. */
  private sameRequest(existing: Payment, hash: string): Payment {
    if (existing.requestHash !== hash) {
      throw new ApiError(
        409,
        'idempotency_conflict',
        'This Idempotency-Key was already used for a different request. Use a new key for a new attempt.',
        { paymentId: existing.id },
      );
    }
    return existing;
  }

  private assertOrderCanPay(previous: Payment[]): void {
    const open = previous.find((p) => isOpen(p.status));
    if (open) {
      throw new ApiError(409, 'order_has_open_payment', 'This order already has a payment in progress. Wait for it or cancel it first.', {
        paymentId: open.id,
        status: open.status,
      });
    }
    const paid = previous.find((p) => isPaid(p.status));
    if (paid) throw new ApiError(409, 'order_already_paid', 'This order is already paid.', { paymentId: paid.id, status: paid.status });
  }

  /** Runs one provider call and records its outcome. Never throws for provider trouble: that is a state. */
  private async callProvider(p: Payment, call: () => Promise<ProviderVerdict>): Promise<Payment> {
    // Every write of this answer, verdict or error, passes the before_write seam inside its transaction.
    const write = { beforeCommit: () => this.hooks.beforeWrite() };
    let verdict: ProviderVerdict;
    try {
      verdict = await call();
    } catch (err) {
      return (await recordProviderError(this.deps, p, err, 'charge', 'sync', write)).payment;
    }
    const r = await recordVerdict(this.deps, p.id, verdict, 'sync', write);
    // Normally fired inside the write's transaction; here when there was nothing left to write (a
    // notification recorded the same verdict first).
    this.hooks.beforeWrite();
    return r.payment;
  }

  async get(terminal: TerminalRow, id: string): Promise<Payment> {
    const p = await getTerminalPayment(this.deps.db, terminal.id, id);
    if (!p) throw new ApiError(404, 'not_found', 'No such payment.');
    return p;
  }

  async cancel(terminal: TerminalRow, id: string): Promise<{ payment: Payment; accepted: boolean }> {
    const p = await this.get(terminal, id);
    if (!isOpen(p.status)) {
      throw new ApiError(409, 'payment_not_open', `This payment is ${p.status} and can no longer be cancelled.`, {
        status: p.status,
        payment: p.id,
      });
    }
    if (this.deps.leases.callUnderWay(p) || p.status === 'created') {
      // The charge request is still on its way; cancelling now could race it at the provider. Whichever
      // instance works the payment cancels as soon as the provider has answered (the request is in the row).
      await this.cancelLater(p.id);
      return { payment: p, accepted: true };
    }
    this.adapterFor(p);
    const r = await this.deps.cancels.cancel(p, 'cashier');
    switch (r.kind) {
      case 'answered':
        if (isOpen(r.payment.status)) await this.cancelLater(p.id);
        return { payment: r.payment, accepted: false };
      case 'busy':
        // Another cancel of it is out (its outcome follows), or its charge is still unanswered.
        await this.cancelLater(p.id);
        return { payment: r.payment, accepted: true };
      case 'closed':
        throw new ApiError(409, 'payment_not_open', `This payment is ${r.payment.status} and can no longer be cancelled.`, {
          status: r.payment.status,
          payment: p.id,
        });
      case 'no_verdict':
        // Unknown: the cancel may be under way. Throttled (429) before anything happened: the reconciler
        // cancels once the provider lets us back in. Either way the reconciler finishes the job.
        if (r.outcome === 'unknown' || r.error.retryAfterMs !== undefined) {
          await this.cancelLater(p.id);
          return { payment: r.payment, accepted: true };
        }
        this.deps.watcher.watch(p.id);
        throw new ApiError(502, 'cancel_failed', `The provider refused the cancel: ${r.error.message}`, { code: r.error.code });
    }
  }

  /** The reconciler cancels it, on whichever instance works the payment: the request is kept in its row. */
  private async cancelLater(id: string): Promise<void> {
    await requestCancel(this.deps.db, id, new Date().toISOString());
    this.deps.watcher.watch(id, { cancel: true });
  }

  private adapterFor(p: Payment): PaymentAdapter {
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) throw new ApiError(503, 'provider_unavailable', `${p.provider} is not available right now.`);
    return adapter;
  }
}
