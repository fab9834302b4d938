// The reconciler core: watches every payment that has no final provider verdict yet and asks the provider
// (tran-query) with backoff until it has one. It follows Pockyt's recipe (pockyt.md §13): query; once the
// customer's confirmation window has passed, cancel (Pockyt's cancel also reverses a capture). It never
// fails an `unknown` payment because time passed — only a provider answer moves money states — and it
// raises needsAttention for staff when the provider keeps failing to answer.
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { isOpen } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { getPayment, listUnsettled, setNeedsAttention, setNextCheck, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import type { AdapterRegistry } from './adapters.ts';
import { applyTransition } from './transition.ts';
import { errorPayload, recordVerdict, type Watcher } from './service.ts';
import { ProviderError } from './providers/types.ts';

export interface PollerDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  initialMs: number;
  maxMs: number;
  log: FastifyBaseLogger;
  /** Payments whose synchronous call is still running (the service's); checked again later. */
  busy?: (paymentId: string) => boolean;
}

/** After this many checks in a row without an answer, staff should look at the payment. */
export const ATTENTION_AFTER_ERRORS = 5;

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

  constructor(private readonly deps: PollerDeps) {}

  /** Rescans every payment without a verdict (after a restart some were mid-flight when we died). */
  async start(): Promise<void> {
    this.stopped = false;
    for (const p of await listUnsettled(this.deps.db)) this.watch(p.id);
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

  private delay(attempt: number): number {
    const base = Math.min(this.deps.maxMs, this.deps.initialMs * 1.5 ** attempt);
    // Jitter spreads the checks of many payments created together (and of several proxy instances).
    return Math.round(base * (0.75 + Math.random() * 0.25));
  }

  private schedule(id: string, w: Watch, ms: number): void {
    if (this.stopped) return;
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      w.timer = null;
      w.running = this.check(id, w).finally(() => { w.running = null; });
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
    try {
      const p = await getPayment(this.deps.db, id);
      if (!p || !isOpen(p.status)) return this.forget(id);
      if (this.deps.busy?.(id)) return this.schedule(id, w, this.deps.initialMs);
      const done = await this.reconcile(p, w);
      if (done) return this.forget(id);
      w.errors = 0;
    } catch (err) {
      if (this.stopped) return;
      w.errors++;
      this.deps.log.warn({ paymentId: id, err: describe(err), errors: w.errors }, 'payment check failed');
      if (w.errors === ATTENTION_AFTER_ERRORS) await setNeedsAttention(this.deps.db, id, true).catch(() => {});
    }
    w.attempt++;
    this.schedule(id, w, this.delay(w.attempt));
  }

  /** One round: query, apply, and cancel when the window has closed. Returns true when no longer open. */
  private async reconcile(p: Payment, w: Watch): Promise<boolean> {
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) throw new Error(`provider ${p.provider} is not configured`);
    const ref = { reference: p.reference, providerRef: p.providerRef ?? undefined };
    const verdict = await adapter.query(ref);
    let current: Payment;
    if (verdict === null) {
      if (p.providerRef) throw new Error(`provider has no record of ${p.providerRef}`);
      // The provider never saw this reference: our request never arrived, so no money can have moved.
      const r = await applyTransition(this.deps.db, this.deps.bus, {
        paymentId: p.id, to: 'failed', source: 'poll', raw: { query: null, reference: p.reference },
        failure: { code: 'not_created', message: 'The payment never reached the wallet provider; nothing was charged. Try again.' },
      });
      return !isOpen(r.payment.status);
    }
    // The provider answered: whatever made us raise the flag is over.
    if (p.needsAttention) await setNeedsAttention(this.deps.db, p.id, false);
    current = (await recordVerdict(this.deps.db, this.deps.bus, p.id, verdict, 'poll')).payment;
    if (!isOpen(current.status)) return true;

    const windowOver = Date.now() - Date.parse(p.createdAt) >= adapter.confirmWindowMs;
    if (!w.cancel && !windowOver) return false;
    try {
      const cancelled = await adapter.cancel(ref);
      current = (await recordVerdict(this.deps.db, this.deps.bus, p.id, cancelled, 'reconciler')).payment;
    } catch (err) {
      // Cancel is safe to repeat (pockyt.md §13.4); an unknown outcome is resolved by the next query.
      if (err instanceof ProviderError && err.outcomeUnknown) {
        await applyTransition(this.deps.db, this.deps.bus, { paymentId: p.id, to: 'unknown', source: 'reconciler', raw: errorPayload(err) });
      }
      throw err;
    }
    return !isOpen(current.status);
  }
}

function describe(err: unknown): unknown {
  if (err instanceof ProviderError) return { code: err.code, message: err.message, outcomeUnknown: err.outcomeUnknown };
  return err instanceof Error ? err.message : String(err);
}
