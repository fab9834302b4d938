// The kiosk side of "no payment lost, none charged twice" (issue 4): every payment request goes through
// journaledTransport(), which writes the attempt (Idempotency-Key, order, amount) to IndexedDB BEFORE the first
// send and notes every answer. After a reload, a crash or a lost network, locate() asks the proxy where each
// journaled attempt stands. While an attempt for an order is unresolved, a new one for that order is refused
// here (the flow then follows the open payment instead of charging again).
// It also keeps the order queue in step: the order is `paying` while its attempt is open, `paid` when the
// proxy says so (whichever path learns it: create answer, poll, SSE), and back to `open` after a decline.
import type { CreatePaymentRequest, PaymentView } from '../../shared/api';
import { isOpen, isPaid } from '../../shared/payment';
import { ApiError } from '../api/errors';
import { StorageError } from '../offline/health';
import { AttemptBlockedError, attemptsForOrder, journalAttempt, openAttempts, recordAttempt, unresolvedAttempt } from '../offline/journal';
import { OrderStateError, type OrderQueue } from '../offline/queue';
import type { AttemptRecord } from '../offline/types';
import { lostAnswer } from './attempt-errors';
import type { PaymentTransport } from './attempt-types';

export interface AttemptJournalDeps {
  queue: Pick<OrderQueue, 'get' | 'markPaying' | 'releasePaying' | 'markPaid'>;
  /** Holds app updates back while any attempt is unresolved (update.svelte.ts holdUpdates('payment')). */
  hold(): void;
  release(): void;
  /** The last view the event stream pushed for a payment (events.ts `latest`). */
  latest?(paymentId: string): PaymentView | undefined;
  dbName?: string;
}

export class AttemptJournal {
  /** Bumped on every hold, so a release decided on an older reading of the journal is dropped. */
  #holdGen = 0;

  constructor(private readonly deps: AttemptJournalDeps) {}

  /**
   * Journals the attempt as `sending`. Nothing may be sent when this throws: an ApiError
   * `attempt_unresolved` (409, details.paymentId when known) if another attempt for the order is unresolved,
   * or an Error saying the tablet could not record the attempt.
   */
  async begin(req: CreatePaymentRequest, key: string): Promise<AttemptRecord> {
    let rec: AttemptRecord;
    try {
      rec = await this.#journal(req, key);
    } catch (err) {
      if (err instanceof AttemptBlockedError) {
        throw new ApiError(
          'attempt_unresolved',
          'A payment for this order is still being checked. The kiosk follows it instead of charging again.',
          409,
          {
            paymentId: err.existing.paymentId,
            idempotencyKey: err.existing.idempotencyKey,
          },
        );
      }
      if (err instanceof StorageError) {
        throw new Error(
          `Payment NOT sent, nothing was charged: the kiosk records every payment on the tablet before sending it, and that failed. ${err.message}`,
          { cause: err },
        );
      }
      throw err;
    }
    this.#holdGen++;
    this.deps.hold();
    try {
      const order = await this.deps.queue.get(req.orderId);
      if (order && (order.status === 'open' || order.status === 'queued' || order.status === 'parked'))
        await this.deps.queue.markPaying(req.orderId);
    } catch (err) {
      // The journal entry is what guards the money; the order's status is for the Orders screen only.
      if (!(err instanceof OrderStateError)) console.warn('order not marked paying', err);
    }
    return rec;
  }

  /**
   * Journals the attempt; an attempt that blocks it but that the event stream has already shown closed is
   * recorded as such first. The stream's news reaches the journal asynchronously (observe), while a screen
   * acts on it at once — e.g. "New code" renews the moment the old QR's expiry is pushed — so without this a
   * closed attempt whose record is still being written would refuse the next one.
   */
  async #journal(req: CreatePaymentRequest, key: string): Promise<AttemptRecord> {
    const attempt = {
      idempotencyKey: key,
      orderId: req.orderId,
      amount: req.amount,
      mode: req.mode,
      vendor: req.vendor ?? null,
      provider: req.provider ?? null,
    };
    try {
      return await journalAttempt(attempt, this.deps.dbName);
    } catch (err) {
      const paymentId = err instanceof AttemptBlockedError ? err.existing.paymentId : undefined;
      const pushed = paymentId ? this.deps.latest?.(paymentId) : undefined;
      if (!pushed || isOpen(pushed.status)) throw err;
      await this.observe(pushed);
      return journalAttempt(attempt, this.deps.dbName);
    }
  }

  /** The proxy answered the create request for `key` with this payment. */
  async answered(key: string, p: PaymentView): Promise<void> {
    await this.#safe(async () => {
      await recordAttempt(key, { status: p.status, paymentId: p.id, providerRef: p.providerRef }, this.deps.dbName);
      await this.settle(p.orderId, p);
    });
    // A push that came before this answer could not be matched to the attempt then (no payment id yet).
    const pushed = this.deps.latest?.(p.id);
    if (pushed) await this.observe(pushed);
  }

  /** The proxy refused the create request (4xx): nothing was charged under this key. */
  async refused(key: string, orderId: string): Promise<void> {
    await this.#safe(async () => {
      await recordAttempt(key, { status: 'failed' }, this.deps.dbName);
      await this.settle(orderId, null);
    });
  }

  /** Any news about a payment (poll, SSE, cancel answer): recorded on the attempt that made it, if journaled. */
  async observe(p: PaymentView): Promise<void> {
    await this.#safe(async () => {
      const rec = (await attemptsForOrder(p.orderId, this.deps.dbName)).find((a) => a.paymentId === p.id);
      if (rec) await recordAttempt(rec.idempotencyKey, { status: p.status, paymentId: p.id, providerRef: p.providerRef }, this.deps.dbName);
      await this.settle(p.orderId, p);
    });
  }

  /**
   * Where does this journaled attempt stand at the proxy? Returns the payment, or null when the proxy has no
   * payment for it (the request never arrived: the attempt is closed as not sent). Network failures throw.
   */
  async locate(api: PaymentTransport, rec: AttemptRecord): Promise<PaymentView | null> {
    let found: PaymentView | null = null;
    if (rec.paymentId) {
      try {
        found = await api.getPayment(rec.paymentId);
      } catch (err) {
        // The proxy does not know this payment (its database was replaced): nothing to follow.
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
    } else if (api.listOrderPayments) {
      const others = new Set(
        (await attemptsForOrder(rec.orderId, this.deps.dbName))
          .filter((a) => a.idempotencyKey !== rec.idempotencyKey && a.paymentId)
          .map((a) => a.paymentId!),
      );
      const mine = (await api.listOrderPayments(rec.orderId)).filter(
        (p) => !others.has(p.id) && p.mode === rec.mode && p.amount.value === rec.amount.value && p.amount.currency === rec.amount.currency,
      );
      // The proxy allows one open and one paid payment per order, so an unclaimed one of those is ours.
      found =
        mine.find((p) => isOpen(p.status)) ??
        mine.find((p) => isPaid(p.status)) ??
        mine.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ??
        null;
    } else {
      return null;
    }
    if (found) await this.answered(rec.idempotencyKey, found);
    else await this.refused(rec.idempotencyKey, rec.orderId);
    return found;
  }

  /** Asks the proxy about every unresolved attempt (except those for `skipOrderId`, which a screen follows). */
  async resolveAll(api: PaymentTransport, skipOrderId?: string): Promise<void> {
    let open: AttemptRecord[];
    try {
      open = await openAttempts(this.deps.dbName);
    } catch {
      return;
    }
    for (const rec of open) {
      if (rec.orderId === skipOrderId) continue;
      await this.locate(api, rec).catch(() => {}); // offline: tried again when the proxy is reachable
    }
    await this.#releaseIfIdle();
  }

  /** Brings the order queue in line with what the proxy said, and lets updates through once nothing is open. */
  async settle(orderId: string, p: PaymentView | null): Promise<void> {
    if (p && isPaid(p.status)) {
      await this.deps.queue.markPaid(orderId, p.id).catch((err: unknown) => console.warn('order not marked paid', err));
    } else if (!p || !isOpen(p.status)) {
      const order = await this.deps.queue.get(orderId);
      if (order?.status === 'paying' && !(await unresolvedAttempt(orderId, this.deps.dbName))) {
        await this.deps.queue.releasePaying(orderId, 'open').catch(() => {});
      }
    }
    if (!p || !isOpen(p.status)) await this.#releaseIfIdle();
  }

  async #releaseIfIdle(): Promise<void> {
    const gen = this.#holdGen;
    if ((await openAttempts(this.deps.dbName)).length === 0 && gen === this.#holdGen) this.deps.release();
  }

  /** At boot: hold updates if an attempt from before the reload is still unresolved. */
  async holdIfOpen(): Promise<AttemptRecord[]> {
    const open = await openAttempts(this.deps.dbName);
    if (open.length) {
      this.#holdGen++;
      this.deps.hold();
    }
    return open;
  }

  /** Journal bookkeeping never breaks a payment flow: storage trouble is already shown by storage health. */
  async #safe(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      console.warn('payment journal', err);
    }
  }
}

export interface JournaledOptions {
  /** Runs once per attempt before it is journaled (e.g. save a reopened order's edited lines); throw to stop. */
  prepare?(req: CreatePaymentRequest): Promise<void>;
}

/**
 * A PaymentTransport that journals before the first send of each Idempotency-Key and records every answer.
 * Resends of the same key (after a lost answer) are not journaled again. Use it for CPM and MPM alike.
 */
export function journaledTransport(api: PaymentTransport, journal: AttemptJournal, opts: JournaledOptions = {}): PaymentTransport {
  const begun = new Set<string>();
  const seen = async (p: PaymentView) => {
    await journal.observe(p);
    return p;
  };
  return {
    async createPayment(req, key) {
      if (!begun.has(key)) {
        await opts.prepare?.(req);
        await journal.begin(req, key);
        begun.add(key);
      }
      let p: PaymentView;
      try {
        p = await api.createPayment(req, key);
      } catch (err) {
        if (!lostAnswer(err)) await journal.refused(key, req.orderId);
        throw err;
      }
      await journal.answered(key, p);
      return p;
    },
    getPayment: async (id, opts) => seen(await api.getPayment(id, opts)),
    cancelPayment: async (id) => seen(await api.cancelPayment(id)),
    listOrderPayments: api.listOrderPayments ? (orderId) => api.listOrderPayments!(orderId) : undefined,
  };
}
