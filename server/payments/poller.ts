// The reconciler core: watches every payment that has no final provider verdict yet and asks the provider
// until it has one (one round: poll-round.ts). Only a provider answer moves money states; it raises
// needsAttention when the provider keeps failing to answer, and re-checks `expired` payments slowly for
// `lateWindowMs`, because a late capture can still land.
//
// Its cost is bounded however many payments are open: a payment is asked about quickly only while a kiosk
// watches it (an SSE stream of its terminal, or a read within SEEN_FOR_MS, on any instance: shared-watch.ts)
// and not past POLL_FAST_FOR_MS, else slowly (poll-cadence.ts); a kiosk polling for want of pushes (?fresh=1)
// has the provider asked at once, at most every PROMPT_GAP_MS. Every call waits for its account's request
// budget, and a 429's Retry-After pauses the whole account (poll-budget.ts). The schedule lives in memory
// (poll-schedule.ts). Several instances on one database: the instance holding a payment's row lease checks
// it (payments/leases.ts); one nobody holds is claimed by whichever instance's sweep finds it due (adopt()).
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { isOpen, type ProviderName } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import { requestCancel } from '../store/leases.ts';
import type { Leases } from './leases.ts';
import type { Database } from '../store/schema.ts';
import type { AdapterRegistry } from './adapters.ts';
import { checkFailed, pollRound, type RoundDeps } from './poll-round.ts';
import { RequestBudgets } from './poll-budget.ts';
import { DatabaseBucket } from '../store/provider-budgets.ts';
import type { Dialect } from '../store/db.ts';
import { cadenceDelay, PROMPT_GAP_MS, PROMPT_WAIT_MS, regimeOf, SEEN_FOR_MS, type CadenceSettings } from './poll-cadence.ts';
import { PollSchedule, type Watch } from './poll-schedule.ts';
import { SharedWatch } from './shared-watch.ts';
import { deadlineOf } from './deadline.ts';
import type { Cancels } from './cancels.ts';
import type { Watcher } from './service.ts';

export interface PollerDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  bus: EventBus;
  adapters: AdapterRegistry;
  /** Fast and slow cadences (POLL_*; poll-cadence.ts). */
  cadence: CadenceSettings;
  /** Per provider: its account's request budget (per minute) and its recommended query interval. */
  providers: Record<ProviderName, { ratePerMinute: number; pendingQueryMs: number }>;
  log: FastifyBaseLogger;
  /** Row leases: who checks which payment (payments/leases.ts). */
  leases: Leases;
  /** How long after creation an `expired` payment is still re-checked for a late capture. Default 2 h. */
  lateWindowMs?: number;
  /** How long after creation "the provider has no such payment" is not yet taken as "never created". Default 30 s. */
  notFoundGraceMs?: number;
  /** How long a kiosk's read of a payment counts as watching it. Default SEEN_FOR_MS. */
  seenForMs?: number;
  /** Sends the cancel once the customer's time is up (cancels.ts: held in the database until it has a verdict). */
  cancels: Pick<Cancels, 'cancel'>;
}

export { PROMPT_GAP_MS, PROMPT_WAIT_MS, SEEN_FOR_MS } from './poll-cadence.ts';

/** A budget wait shorter than this still counts as "now": the row just read is fresh enough to act on. */
const FRESH_ENOUGH_MS = 250;

export class Poller implements Watcher {
  private stopped = false;
  private readonly lateWindowMs: number;
  private readonly budgets: RequestBudgets;
  private readonly schedule: PollSchedule;
  private readonly shared: SharedWatch;
  private readonly round: RoundDeps;

  constructor(private readonly deps: PollerDeps) {
    this.lateWindowMs = deps.lateWindowMs ?? 2 * 3_600_000;
    const rates = Object.fromEntries(Object.entries(deps.providers).map(([name, p]) => [name, p.ratePerMinute]));
    // Kept in the database: every proxy on it shares each account's rate and pause (store/provider-budgets.ts).
    this.budgets = new RequestBudgets(
      rates as Record<ProviderName, number>,
      (account, shape) => new DatabaseBucket({ db: deps.db, dialect: deps.dialect, account, shape, taker: deps.leases.owner }),
    );
    this.schedule = new PollSchedule({
      db: deps.db,
      cadence: deps.cadence,
      seenForMs: deps.seenForMs ?? SEEN_FOR_MS,
      run: (id, w) => this.check(id, w),
      pulledIn: (id) => this.budgets.promote(id),
      ratePerMinute: (provider) => deps.providers[provider]?.ratePerMinute,
    });
    this.round = {
      ...deps,
      budgets: this.budgets,
      notFoundGraceMs: deps.notFoundGraceMs ?? 30_000,
      watchable: (p) => this.watchable(p),
    };
    this.shared = new SharedWatch({
      db: deps.db,
      owner: deps.leases.owner,
      seenForMs: deps.seenForMs ?? SEEN_FOR_MS,
      log: deps.log,
      openStreams: () => this.schedule.openStreams(),
      worthLooking: (horizonMs) => this.schedule.worthLookingElsewhere(horizonMs),
      watchedElsewhere: (id, untilMs) => this.schedule.watchedElsewhere(id, untilMs),
    });
  }

  start(): void {
    this.stopped = false;
    this.shared.start();
  }

  /** A payment the sweep claimed for this instance (no worker had it: after a restart, or its instance died
   *  mid-payment). It resumes at its stored next check (spread a little), so a takeover is no burst. */
  async adopt(id: string): Promise<void> {
    if (this.stopped || this.schedule.get(id)) return;
    const p = await getPayment(this.deps.db, id);
    if (!p || !this.watchable(p) || this.schedule.get(id)) return;
    const { initialMs, idleMs } = this.deps.cadence;
    const w = this.schedule.add(p.id);
    this.deps.leases.hold('payments', id, 'check');
    this.schedule.noteRow(w, p);
    const dueIn = w.leaseAt ? Math.min(Math.max(0, w.leaseAt - Date.now()), 2 * idleMs) : 0;
    this.schedule.at(p.id, w, dueIn + Math.round(Math.random() * initialMs));
  }

  /** Still worth asking the provider about: no verdict yet, or expired recently enough for a late capture. */
  private watchable(p: Payment): boolean {
    if (isOpen(p.status)) return true;
    return p.status === 'expired' && Date.now() - Date.parse(p.createdAt) < this.lateWindowMs;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.shared.stop();
    this.budgets.close();
    await this.schedule.stop();
  }

  watching(paymentId: string): boolean {
    return this.schedule.get(paymentId) !== undefined;
  }

  /** A kiosk opened its event stream: its terminal's payments count as watched until the returned function
   *  is called (stream closed). */
  streamOpened(terminalId: string): () => void {
    this.shared.streamOpened(terminalId);
    const close = this.schedule.streamOpened(terminalId);
    return () => {
      close();
      if (this.schedule.streaming(terminalId)) return;
      // Forgotten again once the mark is gone: a look that read it before the clear may have set it back.
      void this.shared.streamClosed(terminalId).then(() => this.schedule.streaming(terminalId) || this.schedule.forgetShared(terminalId));
    };
  }

  /** A kiosk read the payment (GET /api/payments/:id): it is waiting for the verdict. An open payment nobody
   *  works right now (its next check is not due yet, e.g. after a restart) is taken up here at once. `askNow`
   *  (the kiosk polls for want of pushes): the provider is asked now (through the account's budget, as every
   *  check is) rather than at the next step of the cadence. The read waits for that check's answer (at most
   *  PROMPT_WAIT_MS past its start), or until the payment changes by any other path (a notification); true
   *  when it waited (read the payment again to show it). */
  async seen(p: Payment, opts: { askNow: boolean }): Promise<boolean> {
    // Marked in the row too: the instance holding the payment's lease may be another one.
    if (isOpen(p.status)) this.shared.read(p);
    if (!this.schedule.get(p.id)) {
      if (this.stopped || !this.watchable(p) || (p.lease && this.deps.leases.alive(p.lease))) return false;
      this.watch(p.id);
    }
    // A read that already holds a verdict has nothing to wait for (a notification settled it before the check).
    const prompt = opts.askNow && isOpen(p.status) ? { gapMs: PROMPT_GAP_MS, waitMs: PROMPT_WAIT_MS } : null;
    const check = this.schedule.seen(p.id, prompt);
    if (!check) return false;
    let timer: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    const dueIn = Math.max(0, (this.schedule.get(p.id)?.dueAt ?? 0) - Date.now());
    const over = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, dueIn + PROMPT_WAIT_MS);
      unsubscribe = this.deps.bus.subscribe(p.terminalId, (u) => u.payment.id === p.id && resolve());
    });
    try {
      await Promise.race([check, over]);
      return true;
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
  }

  watch(paymentId: string, opts: { cancel?: boolean } = {}): void {
    if (this.stopped) return;
    // Kept in the row: if another instance works the payment, it cancels it.
    if (opts.cancel) requestCancel(this.deps.db, paymentId, new Date().toISOString()).catch(() => {});
    const existing = this.schedule.get(paymentId);
    if (existing) {
      existing.cancel ||= opts.cancel === true;
      if (opts.cancel) {
        // A cancel request should not wait out a long backoff, nor behind other payments' checks.
        this.budgets.promote(paymentId);
        if (existing.timer) this.schedule.at(paymentId, existing, this.deps.cadence.initialMs / 4);
      }
      return;
    }
    const w = this.schedule.add(paymentId, { cancel: opts.cancel === true });
    // Kept alive from now on if the lease is ours (the charge that asked holds it); the first check settles it.
    this.deps.leases.hold('payments', paymentId, 'check');
    // The first check is soon whoever asked (a charge just answered, a notification came); the ones after
    // it follow whether a kiosk is watching.
    this.schedule.at(paymentId, w, cadenceDelay('fast', 0, 0, this.deps.cadence));
    w.attempt = 1;
  }

  private forget(id: string, row?: Payment): void {
    this.schedule.forget(id, row);
    this.budgets.cancel(id);
    this.deps.leases.let('payments', id, 'check');
  }

  /** Another live instance holds the payment: it is theirs to check. */
  private leave(id: string): void {
    this.schedule.forget(id);
    this.budgets.cancel(id);
    this.deps.leases.lost('payments', id, 'check');
  }

  /** Takes (or renews) the payment's lease for this check: false when the check must not run now. */
  private async ours(p: Payment, w: Watch): Promise<boolean> {
    const took = await this.deps.leases.takeForCheck(p);
    if (took === 'other') this.leave(p.id);
    else if (took === 'busy') this.schedule.at(p.id, w, this.deps.cadence.initialMs);
    return took === 'mine';
  }

  private async check(id: string, w: Watch): Promise<void> {
    if (this.stopped) return;
    let slow = false;
    // The provider asked us to come back later (429 Retry-After), or the customer's time runs out sooner
    // than the backoff: both shape the next delay.
    let retryAfterMs: number | undefined;
    let deadline: number | undefined;
    let p: Payment | undefined;
    try {
      p = await this.readWatchable(id, w);
      if (!p) return;
      if (!(await this.ours(p, w))) return;
      const adapter = this.deps.adapters.get(p.provider);
      const took = await this.takeBudget(p, w, adapter ? deadlineOf(p, adapter.confirmWindowMs) : undefined);
      if (!took) return;
      if (took === 'waited') {
        // The wait can be long: ask about the payment as it is now.
        p = await this.readWatchable(id, w);
        if (!p) return;
        if (!(await this.ours(p, w))) return;
      }
      // Another check was told 429 while this one read the row: nothing goes out during the pause it asked for.
      const pausedMs = this.budgets.of(p.provider).pausedFor();
      if (pausedMs > 0) retryAfterMs = pausedMs;
      else {
        const next = await pollRound(this.round, p, w.cancel);
        if (next === 'done') return this.forget(id);
        slow = next === 'late_watch';
        w.errors = 0;
        if (next === 'open' && adapter) deadline = deadlineOf(p, adapter.confirmWindowMs);
      }
    } catch (err) {
      if (this.stopped) return;
      retryAfterMs = await checkFailed(this.round, id, p, w, err);
    }
    let ms = this.nextDelay(w, p, slow);
    if (retryAfterMs !== undefined) ms = Math.max(ms, retryAfterMs);
    else if (deadline !== undefined && deadline > Date.now()) ms = Math.min(ms, deadline - Date.now() + 10);
    this.schedule.at(id, w, ms);
  }

  /** The row, when the payment is still worth asking about (else its watch ends). */
  private async readWatchable(id: string, w: Watch): Promise<Payment | undefined> {
    const p = await getPayment(this.deps.db, id);
    if (!p || !this.watchable(p)) {
      this.forget(id, p);
      return undefined;
    }
    this.schedule.noteRow(w, p);
    return p;
  }

  /** One request from the provider account's budget: at once when it has one, else in line — watched
   *  payments and cancels that are due before the rest. false: the wait was called off. */
  private async takeBudget(p: Payment, w: Watch, deadline: number | undefined): Promise<'now' | 'waited' | false> {
    const budget = this.budgets.of(p.provider);
    const urgent = w.cancel || this.schedule.watched(w) || (deadline !== undefined && Date.now() >= deadline);
    const since = Date.now();
    if (!(await budget.acquire(p.id, urgent)) || this.stopped) return false;
    return Date.now() - since < FRESH_ENOUGH_MS ? 'now' : 'waited';
  }

  private nextDelay(w: Watch, p: Payment | undefined, lateWatch: boolean): number {
    const c = this.deps.cadence;
    const ageMs = p ? Date.now() - Date.parse(p.createdAt) : 0;
    const regime = regimeOf({ watched: this.schedule.watched(w), cancelling: w.cancel, lateWatch, ageMs }, c);
    if (regime !== w.regime) {
      w.regime = regime;
      w.attempt = 0;
    }
    const provider = p?.provider ?? w.provider;
    const pendingQueryMs = provider ? (this.deps.providers[provider]?.pendingQueryMs ?? c.maxMs) : c.maxMs;
    // The share is counted from when this check started: a check that waited for the budget or for a slow
    // answer is not followed by a longer gap than the share.
    const share = regime === 'fast' ? this.schedule.fairShareMs(w) - (Date.now() - w.startedAt) : 0;
    return cadenceDelay(regime, w.attempt++, pendingQueryMs, c, undefined, share);
  }
}
