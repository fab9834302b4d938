// A small retry scheduler for staff actions whose provider call ended without a verdict (a refund that timed
// out, a void the provider accepted but has not finished). Each id is retried with doubling, jittered delays
// until its round says 'done'; after STUCK_AFTER rounds without a verdict `stuck` is called once (the caller
// raises needsAttention) and the rounds go on at the slowest pace. Timers only: what must survive a restart
// is in the database, and the sweep (payments/leases.ts) hands it to an instance.
import type { FastifyBaseLogger } from 'fastify';
import { backoff } from '../../src/shared/backoff.ts';

export const STUCK_AFTER = 5;

export interface FollowUpOptions {
  initialMs: number;
  maxMs: number;
  log: FastifyBaseLogger;
  what: string;
  run(id: string): Promise<'done' | 'again'>;
  stuck?(id: string): Promise<void>;
  settled?(id: string): Promise<void>;
  /** An id is followed up from now on / no longer (its row lease is held meanwhile: payments/leases.ts). */
  held?(id: string): void;
  released?(id: string): void;
}

interface Entry {
  rounds: number;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  flagged: boolean;
}

export class FollowUps {
  private readonly entries = new Map<string, Entry>();
  private stopped = false;

  constructor(private readonly opts: FollowUpOptions) {}

  /** Schedules `id` (no-op if it is already scheduled, except that an explicit delay brings it forward). */
  add(id: string, delayMs?: number): void {
    if (this.stopped) return;
    const existing = this.entries.get(id);
    if (existing) {
      if (delayMs !== undefined && existing.timer) this.schedule(id, existing, delayMs);
      return;
    }
    const e: Entry = { rounds: 0, timer: null, running: null, flagged: false };
    this.entries.set(id, e);
    this.opts.held?.(id);
    this.schedule(id, e, delayMs ?? this.delay(0));
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const e of this.entries.values()) {
      if (e.timer) clearTimeout(e.timer);
      if (e.running) running.push(e.running);
    }
    await Promise.allSettled(running);
    this.entries.clear();
  }

  private delay(rounds: number): number {
    return backoff(rounds, { baseMs: this.opts.initialMs, maxMs: this.opts.maxMs, factor: 2, jitter: 0.25 });
  }

  private schedule(id: string, e: Entry, ms: number): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      e.timer = null;
      e.running = this.round(id, e).finally(() => {
        e.running = null;
      });
    }, ms);
    e.timer.unref?.();
  }

  private async round(id: string, e: Entry): Promise<void> {
    if (this.stopped) return;
    let result: 'done' | 'again' = 'again';
    try {
      result = await this.opts.run(id);
    } catch (err) {
      this.opts.log.warn(
        { id, err: err instanceof Error ? err.message : String(err), rounds: e.rounds + 1 },
        `${this.opts.what} follow-up failed`,
      );
    }
    if (this.stopped) return;
    if (result === 'done') {
      this.entries.delete(id);
      this.opts.released?.(id);
      // Also after a restart, when this process never raised the flag itself.
      await this.opts.settled?.(id).catch(() => {});
      return;
    }
    e.rounds++;
    if (e.rounds === STUCK_AFTER && !e.flagged) {
      e.flagged = true;
      await this.opts
        .stuck?.(id)
        .catch((err) => this.opts.log.error({ id, err: String(err) }, `${this.opts.what}: could not raise needsAttention`));
    }
    this.schedule(id, e, this.delay(e.rounds));
  }
}
