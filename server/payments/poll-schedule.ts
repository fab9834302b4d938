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
  /** The row's next_check_at as last read or written (undefined: not read yet). */
  leaseAt?: number | null;
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
}

export class PollSchedule {
  private readonly watches = new Map<string, Watch>();
  /** Open SSE streams per terminal. */
  private readonly streams = new Map<string, number>();
  private closed = false;

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
  }

  forget(id: string, row?: Payment): void {
    const w = this.watches.get(id);
    if (w?.timer) clearTimeout(w.timer);
    this.watches.delete(id);
    // Settling cleared the lease (transition.ts); an expired payment past its late window still holds one.
    if (row?.nextCheckAt) setNextCheck(this.o.db, id, null).catch(() => {});
  }

  watched(w: Watch): boolean {
    if (w.terminalId !== undefined && (this.streams.get(w.terminalId) ?? 0) > 0) return true;
    return Date.now() - w.seenAt < this.o.seenForMs;
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
      else this.streams.delete(terminalId);
    };
  }

  /** A kiosk read the payment: it is waiting for the verdict. With `promptGapMs` (null: only pull the next
   *  check in), returns the check that will answer it: the one under way, or one started now unless a read
   *  started one within `promptGapMs` (then it pulls the next in). A check re-arms the cadence's timer after it, so reads replace the timer's checks, not add to them. */
  seen(id: string, promptGapMs: number | null): Promise<void> | null {
    const w = this.watches.get(id);
    if (!w) return null;
    w.seenAt = Date.now();
    if (promptGapMs !== null && w.running) return w.running;
    if (promptGapMs === null || this.closed || Date.now() - w.promptedAt < promptGapMs) {
      this.pullIn(id, w);
      return null;
    }
    w.promptedAt = Date.now();
    this.o.pulledIn(id);
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    return this.runNow(id, w);
  }

  private runNow(id: string, w: Watch): Promise<void> {
    const running = this.o.run(id, w).finally(() => {
      if (w.running === running) w.running = null;
    });
    w.running = running;
    return running;
  }

  /** A check further away than the fast cadence's first step comes sooner. */
  pullIn(id: string, w: Watch): void {
    this.o.pulledIn(id);
    const soon = cadenceDelay('fast', 0, 0, this.o.cadence);
    if (w.timer && w.dueAt - Date.now() > soon) this.at(id, w, soon);
  }

  /** Stops every timer and waits for the checks under way. */
  async stop(): Promise<void> {
    this.closed = true;
    const running: Promise<void>[] = [];
    for (const w of this.watches.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
      if (w.running) running.push(w.running);
    }
    await Promise.allSettled(running);
    this.watches.clear();
  }
}
