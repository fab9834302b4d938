// The reconciler's schedule: one timer per watched payment, which kiosks are watching which payments, and
// the lease each row keeps in `next_check_at`. The timers live in memory; the row is written only when the
// next check would fall after its stored lease (poll-cadence.ts leaseToWrite), so the database stays the
// durable record of due work — a restart resumes each payment at its lease, and proxies sharing one
// database can claim due work from it — without a write on every check.
import type { Kysely } from 'kysely';
import type { ProviderName } from '../../src/shared/payment.ts';
import { setNextCheck, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import { cadenceDelay, leaseToWrite, type CadenceSettings, type Regime } from './poll-cadence.ts';

export interface Watch {
  /** Checks made in the current regime (the backoff step). */
  attempt: number;
  regime: Regime;
  /** Checks in a row without an answer. */
  errors: number;
  /** A cashier asked to cancel: the reconciler cancels once the provider has answered. */
  cancel: boolean;
  timer: NodeJS.Timeout | null;
  /** When the timer fires (ms since epoch). */
  dueAt: number;
  running: Promise<void> | null;
  /** From the row, once read. */
  terminalId?: string;
  provider?: ProviderName;
  /** Last time a kiosk read the payment. */
  seenAt: number;
  /** When a kiosk's read last started a check. */
  promptedAt: number;
  /** When the last check started (timer or read). */
  startedAt: number;
  /** Reads waiting for the next check to finish (it is due within their wait). */
  next: { done: Promise<void>; resolve: () => void } | null;
  /** The row's next_check_at as last read or written (undefined: not read yet). */
  leaseAt?: number | null;
  /** A kiosk watches it through another instance until then (shared-watch.ts). */
  sharedUntil?: number;
}

export interface ScheduleOptions {
  db: Kysely<Database>;
  cadence: CadenceSettings;
  /** How long a kiosk's read of a payment counts as watching it. */
  seenForMs: number;
  /** Runs one check when a payment's timer fires. */
  run(id: string, w: Watch): Promise<void>;
  /** A kiosk started watching the payment (its wait for the provider budget should move up). */
  pulledIn(id: string): void;
  /** The provider account's request budget. */
  ratePerMinute(provider: ProviderName): number | undefined;
}

/** How long a count of watched payments per provider is reused: it is asked for on every check. */
const COUNT_FOR_MS = 200;

export class PollSchedule {
  private readonly watches = new Map<string, Watch>();
  /** Open SSE streams per terminal. */
  private readonly streams = new Map<string, number>();
  private closed = false;
  private counted: { at: number; byProvider: Map<ProviderName, number> } | null = null;

  constructor(private readonly o: ScheduleOptions) {}

  get(id: string): Watch | undefined {
    return this.watches.get(id);
  }

  add(id: string, known: Partial<Watch> = {}): Watch {
    this.closed = false;
    const w: Watch = {
      attempt: 0,
      regime: 'fast',
      errors: 0,
      cancel: false,
      timer: null,
      dueAt: 0,
      running: null,
      seenAt: 0,
      promptedAt: 0,
      startedAt: 0,
      next: null,
      ...known,
    };
    this.watches.set(id, w);
    return w;
  }

  /** Arms the payment's next check `ms` from now, and moves its lease when the check falls past it. */
  at(id: string, w: Watch, ms: number): void {
    if (this.closed || this.watches.get(id) !== w) return;
    if (w.timer) clearTimeout(w.timer);
    w.dueAt = Date.now() + ms;
    w.timer = setTimeout(() => {
      w.timer = null;
      void this.runNow(id, w);
    }, ms);
    w.timer.unref?.();
    const lease = leaseToWrite(w.leaseAt, w.dueAt, this.o.cadence.idleMs);
    if (lease !== null) {
      w.leaseAt = lease;
      setNextCheck(this.o.db, id, new Date(lease).toISOString()).catch(() => {});
    }
  }

  /** What the schedule needs from a fresh read of the row. */
  noteRow(w: Watch, p: Payment): void {
    w.terminalId = p.terminalId;
    w.provider = p.provider;
    // A cashier's cancel asked on any instance (kept in the row).
    w.cancel ||= p.cancelRequested;
    w.leaseAt = p.nextCheckAt === null ? null : Date.parse(p.nextCheckAt);
    if (p.watchedUntil) w.sharedUntil = Math.max(w.sharedUntil ?? 0, Date.parse(p.watchedUntil));
  }

  forget(id: string, row?: Payment): void {
    const w = this.watches.get(id);
    if (w?.timer) clearTimeout(w.timer);
    w?.next?.resolve();
    this.watches.delete(id);
    // Settling cleared the lease (transition.ts); an expired payment past its late window still holds one.
    if (row?.nextCheckAt) setNextCheck(this.o.db, id, null).catch(() => {});
  }

  /** A kiosk watches it: through this instance, or through another one (as the database says). */
  watched(w: Watch): boolean {
    return this.watchedHere(w) || (w.sharedUntil ?? 0) > Date.now();
  }

  private watchedHere(w: Watch): boolean {
    if (w.terminalId !== undefined && (this.streams.get(w.terminalId) ?? 0) > 0) return true;
    return Date.now() - w.seenAt < this.o.seenForMs;
  }

  /** A kiosk watches the payment through another instance until `untilMs`: its next check comes sooner. */
  watchedElsewhere(id: string, untilMs: number): void {
    const w = this.watches.get(id);
    if (!w || untilMs <= Date.now()) return;
    w.sharedUntil = Math.max(w.sharedUntil ?? 0, untilMs);
    this.pullIn(id, w);
  }

  /** Whether a watcher on another instance could change a check here within `horizonMs`: a payment not
   *  watched here sits on a timer further off than that, or its mark from elsewhere runs out by then. */
  worthLookingElsewhere(horizonMs: number): boolean {
    const now = Date.now();
    for (const w of this.watches.values()) {
      if (this.watchedHere(w) || (w.sharedUntil ?? 0) - now > horizonMs) continue;
      if ((w.timer && w.dueAt - now > horizonMs) || (w.sharedUntil ?? 0) > now) return true;
    }
    return false;
  }

  /** Terminals whose kiosk has its event stream open on this instance. */
  openStreams(): string[] {
    return [...this.streams.keys()];
  }

  /** How often each watched payment of its provider account may be asked about so that all of them together
   *  stay within the account's budget (poll-cadence.ts cadenceDelay). */
  fairShareMs(w: Watch): number {
    const rate = w.provider ? this.o.ratePerMinute(w.provider) : undefined;
    return w.provider && rate ? (this.watchedOn(w.provider) * 60_000) / rate : 0;
  }

  /** Watched payments of a provider account (counted at most every COUNT_FOR_MS). */
  private watchedOn(provider: ProviderName): number {
    const now = Date.now();
    if (!this.counted || now - this.counted.at > COUNT_FOR_MS) {
      const byProvider = new Map<ProviderName, number>();
      for (const w of this.watches.values())
        if (w.provider && this.watched(w)) byProvider.set(w.provider, (byProvider.get(w.provider) ?? 0) + 1);
      this.counted = { at: now, byProvider };
    }
    return this.counted.byProvider.get(provider) ?? 0;
  }

  /** A kiosk opened its event stream: its terminal's payments are watched until the returned function is
   *  called (the stream closed). */
  streamOpened(terminalId: string): () => void {
    this.streams.set(terminalId, (this.streams.get(terminalId) ?? 0) + 1);
    for (const [id, w] of this.watches) if (w.terminalId === terminalId) this.pullIn(id, w);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      const n = (this.streams.get(terminalId) ?? 1) - 1;
      if (n > 0) this.streams.set(terminalId, n);
      else {
        this.streams.delete(terminalId);
        this.forgetShared(terminalId);
      }
    };
  }

  streaming(terminalId: string): boolean {
    return this.streams.has(terminalId);
  }

  /** Drops what the database said about the terminal's payments (its stream mark is being cleared); a read
   *  mark from another instance comes back at the next look. */
  forgetShared(terminalId: string): void {
    for (const w of this.watches.values()) if (w.terminalId === terminalId) w.sharedUntil = undefined;
  }

  /** A kiosk read the payment: it is waiting for the verdict. With `prompt` (null: only pull the next check
   *  in), returns the check that will answer it: the one under way; one started now, when no check started
   *  within `prompt.gapMs` nor within the payment's fair share of the budget (so reads cannot take more than
   *  the share, however often a kiosk reads); or the next one, when it is due within `prompt.waitMs`. A check
   *  re-arms the cadence's timer after it, so reads replace the timer's checks, not add to them. */
  seen(id: string, prompt: { gapMs: number; waitMs: number } | null): Promise<void> | null {
    const w = this.watches.get(id);
    if (!w) return null;
    const now = Date.now();
    w.seenAt = now;
    if (prompt !== null && w.running) return w.running;
    const gap = prompt === null ? 0 : Math.max(prompt.gapMs, this.fairShareMs(w));
    if (prompt === null || this.closed || now - w.promptedAt < prompt.gapMs || now - w.startedAt < gap) {
      this.pullIn(id, w);
      if (prompt === null || !w.timer || w.dueAt - Date.now() > prompt.waitMs) return null;
      w.next ??= deferred();
      return w.next.done;
    }
    w.promptedAt = now;
    this.o.pulledIn(id);
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    return this.runNow(id, w);
  }

  private runNow(id: string, w: Watch): Promise<void> {
    w.startedAt = Date.now();
    const waiting = w.next;
    w.next = null;
    const running = this.o.run(id, w).finally(() => {
      if (w.running === running) w.running = null;
      waiting?.resolve();
    });
    w.running = running;
    return running;
  }

  /** A check further away than the fast cadence's first step comes sooner. */
  pullIn(id: string, w: Watch): void {
    this.o.pulledIn(id);
    const soon = Math.max(cadenceDelay('fast', 0, 0, this.o.cadence), this.fairShareMs(w) - (Date.now() - w.startedAt));
    if (w.timer && w.dueAt - Date.now() > soon) this.at(id, w, soon);
  }

  /** Stops every timer and waits for the checks under way. */
  async stop(): Promise<void> {
    this.closed = true;
    const running: Promise<void>[] = [];
    for (const w of this.watches.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
      w.next?.resolve();
      if (w.running) running.push(w.running);
    }
    await Promise.allSettled(running);
    this.watches.clear();
  }
}

function deferred(): { done: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return { done, resolve };
}
