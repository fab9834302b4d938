// The reconciler core: watches every payment that has no final provider verdict yet and asks the provider
// (tran-query) with jittered backoff until it has one. It follows Pockyt's recipe (pockyt.md §13): query;
// once the customer's confirmation window has passed, cancel (Pockyt's cancel also reverses a capture). It
// never fails an `unknown` payment because time passed — only a provider answer moves money states — and it
// raises needsAttention for staff when the provider keeps failing to answer. `expired` payments (the
// provider closed them unpaid) are re-checked slowly for `lateWindowMs`, because a late capture can still land.
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { isOpen } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { getPayment, listUnsettled, setNextCheck, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import { backoff } from '../../src/shared/backoff.ts';
import type { AdapterRegistry } from './adapters.ts';
import { recordAnswered, recordNeverReached, recordNoAnswer, recordVerdict } from './outcome.ts';
import type { Cancels } from './cancels.ts';
import type { Watcher } from './service.ts';
import { ProviderError } from '../providers/types.ts';

export interface PollerDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  initialMs: number;
  maxMs: number;
  log: FastifyBaseLogger;
  /** Payments with a provider call under way (shared with the service); checked again later. Our own
   *  cancel calls are registered here too, so a notification does not overtake their answer. */
  inFlight?: Set<string>;
  /** How long after creation an `expired` payment is still re-checked for a late capture. Default 2 h. */
  lateWindowMs?: number;
  /** How long after creation "the provider has no such payment" is not yet taken as "never created". Default 30 s. */
  notFoundGraceMs?: number;
  /** Sends the cancel once the customer's time is up (cancels.ts: held in the database until it has a verdict). */
  cancels: Pick<Cancels, 'cancel'>;
}

/** `expired` payments are checked this many times less often than open ones. */
const EXPIRED_SLOWDOWN = 6;

/** After this many checks in a row without an answer, staff should look at the payment. */
export const ATTENTION_AFTER_ERRORS = 5;

/** A merchant QR is given up this long after the provider's own expiry, so a payment made in the last
 *  second (or with the provider's clock a little behind ours) is found by the query, not voided. */
export const MPM_EXPIRY_GRACE_MS = 1_000;

/** When the customer's time is up: the QR's own expiry for a merchant-presented QR, else the adapter's
 *  confirmation window from creation. */
export function deadlineOf(p: Payment, confirmWindowMs: number): number {
  if (p.mode === 'mpm' && p.qr?.expiresAt) {
    const at = Date.parse(p.qr.expiresAt);
    if (Number.isFinite(at)) return at + MPM_EXPIRY_GRACE_MS;
  }
  return Date.parse(p.createdAt) + confirmWindowMs;
}

interface Watch {
  attempt: number;
  errors: number;
  cancel: boolean;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

export class Poller implements Watcher {
  private readonly watches = new Map<string, Watch>();
  private stopped = false;
  private readonly inFlight: Set<string>;
  private readonly lateWindowMs: number;
  private readonly notFoundGraceMs: number;

  constructor(private readonly deps: PollerDeps) {
    this.inFlight = deps.inFlight ?? new Set();
    this.lateWindowMs = deps.lateWindowMs ?? 2 * 3_600_000;
    this.notFoundGraceMs = deps.notFoundGraceMs ?? 30_000;
  }

  /** Rescans every payment without a verdict (after a restart some were mid-flight when we died), and
   *  recently expired ones. */
  async start(): Promise<void> {
    this.stopped = false;
    const since = new Date(Date.now() - this.lateWindowMs).toISOString();
    for (const p of await listUnsettled(this.deps.db, since)) this.watch(p.id);
  }

  /** Still worth asking the provider about: no verdict yet, or expired recently enough for a late capture. */
  private watchable(p: Payment): boolean {
    if (isOpen(p.status)) return true;
    return p.status === 'expired' && Date.now() - Date.parse(p.createdAt) < this.lateWindowMs;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const w of this.watches.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
      if (w.running) running.push(w.running);
    }
    await Promise.allSettled(running);
    this.watches.clear();
  }

  watching(paymentId: string): boolean {
    return this.watches.has(paymentId);
  }

  watch(paymentId: string, opts: { cancel?: boolean } = {}): void {
    if (this.stopped) return;
    const existing = this.watches.get(paymentId);
    if (existing) {
      existing.cancel ||= opts.cancel === true;
      // A cancel request should not wait out a long backoff.
      if (opts.cancel && existing.timer) this.schedule(paymentId, existing, this.deps.initialMs / 4);
      return;
    }
    const w: Watch = { attempt: 0, errors: 0, cancel: opts.cancel === true, timer: null, running: null };
    this.watches.set(paymentId, w);
    this.schedule(paymentId, w, this.delay(0));
  }

  private delay(attempt: number, slow = false): number {
    // Jitter spreads the checks of many payments created together (and of several proxy instances).
    if (slow) return backoff(0, { baseMs: this.deps.maxMs * EXPIRED_SLOWDOWN, maxMs: this.deps.maxMs * EXPIRED_SLOWDOWN, jitter: 0.25 });
    return backoff(attempt, { baseMs: this.deps.initialMs, maxMs: this.deps.maxMs, factor: 1.5, jitter: 0.25 });
  }

  private schedule(id: string, w: Watch, ms: number): void {
    if (this.stopped) return;
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      w.timer = null;
      w.running = this.check(id, w).finally(() => {
        w.running = null;
      });
    }, ms);
    w.timer.unref?.();
    setNextCheck(this.deps.db, id, new Date(Date.now() + ms).toISOString()).catch(() => {});
  }

  private forget(id: string): void {
    const w = this.watches.get(id);
    if (w?.timer) clearTimeout(w.timer);
    this.watches.delete(id);
  }

  private async check(id: string, w: Watch): Promise<void> {
    if (this.stopped) return;
    let slow = false;
    // The provider asked us to come back later (429 Retry-After), or the customer's time runs out sooner
    // than the backoff: both shape the next delay.
    let retryAfterMs: number | undefined;
    let deadline: number | undefined;
    try {
      const p = await getPayment(this.deps.db, id);
      if (!p || !this.watchable(p)) return this.forget(id);
      if (this.inFlight.has(id)) return this.schedule(id, w, this.deps.initialMs);
      const next = await this.reconcile(p, w);
      if (next === 'done') return this.forget(id);
      slow = next === 'late_watch';
      w.errors = 0;
      const adapter = this.deps.adapters.get(p.provider);
      if (next === 'open' && adapter) deadline = deadlineOf(p, adapter.confirmWindowMs);
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof ProviderError) retryAfterMs = err.retryAfterMs;
      w.errors++;
      this.deps.log.warn({ paymentId: id, err: describe(err), errors: w.errors }, 'payment check failed');
      if (w.errors === ATTENTION_AFTER_ERRORS) {
        await recordNoAnswer(this.deps, id, describe(err)).catch((e) =>
          this.deps.log.error({ paymentId: id, err: describe(e) }, 'could not raise needsAttention'),
        );
      }
    }
    w.attempt++;
    let ms = this.delay(w.attempt, slow);
    if (retryAfterMs !== undefined) ms = Math.max(ms, retryAfterMs);
    else if (deadline !== undefined && deadline > Date.now()) ms = Math.min(ms, deadline - Date.now() + 10);
    this.schedule(id, w, ms);
  }

  /** One round: query, apply, and cancel when the window has closed. 'open': keep asking; 'late_watch':
   *  expired, keep asking slowly; 'done': nothing more to learn. */
  private async reconcile(p: Payment, w: Watch): Promise<'open' | 'late_watch' | 'done'> {
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) throw new Error(`provider ${p.provider} is not configured`);
    const ref = { reference: p.reference, providerRef: p.providerRef ?? undefined };
    const verdict = await adapter.query(ref);
    let current: Payment;
    if (verdict === null) {
      if (p.providerRef) throw new Error(`provider has no record of ${p.providerRef}`);
      if (p.status === 'expired') return 'done';
      // Not there YET is not "never": a request sent just before a crash (or a timeout) can still be on the
      // wire or queued at the provider, and would charge after we declared it failed. Within the grace
      // period — longer than any of our request timeouts — keep asking.
      if (Date.now() - Date.parse(p.createdAt) < this.notFoundGraceMs) return 'open';
      // The provider never saw this reference: our request never arrived, so no money can have moved.
      const r = await recordNeverReached(this.deps, p);
      return isOpen(r.payment.status) ? 'open' : 'done';
    }
    await recordAnswered(this.deps, p, 'reconciler');
    current = (await recordVerdict(this.deps, p.id, verdict, 'poll')).payment;
    if (current.status === 'expired') return this.watchable(current) ? 'late_watch' : 'done';
    if (!isOpen(current.status)) return 'done';

    const windowOver = Date.now() >= deadlineOf(p, adapter.confirmWindowMs);
    if (!w.cancel && !windowOver) return 'open';
    // A merchant QR nobody paid in time is `expired` (a late payment can still land), not cancelled by
    // anyone; a cashier's cancel stays a cancel.
    const expiring = !w.cancel && p.mode === 'mpm';
    // Cancel is safe to repeat (pockyt.md §13.4); one whose outcome is unknown is followed up by cancels.ts.
    const r = await this.deps.cancels.cancel(current, 'reconciler', { expiring });
    if (r.kind === 'no_verdict') throw r.error;
    current = r.payment;
    return isOpen(current.status) ? 'open' : current.status === 'expired' ? 'late_watch' : 'done';
  }
}

function describe(err: unknown): unknown {
  if (err instanceof ProviderError) return { code: err.code, message: err.message, outcomeUnknown: err.outcomeUnknown };
  return err instanceof Error ? err.message : String(err);
}
