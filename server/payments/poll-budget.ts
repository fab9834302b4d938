// The reconciler's request budget per provider account: a token bucket (POLL_RATE_<NAME> per minute, a small
// burst) with a wait line in which urgent checks — a kiosk is watching, a cancel is due — go before the rest
// (and the rest leave one request in the bucket for them, so a backlog never makes a watched payment wait),
// and a pause the provider can order (429 + Retry-After). However many payments are open, the reconciler
// never sends more than rate + burst requests to one account in any minute: a backlog waits in line
// instead of becoming a flood (providers limit requests per account, all tills together: see each module's polling.ts).
// Per process: several proxies on one account must share the account's rate between them.
import type { ProviderName } from '../../src/shared/payment.ts';

interface Waiter {
  grant: (granted: boolean) => void;
}

export class RequestBudget {
  private tokens: number;
  private refilledAt = Date.now();
  private pausedUntil = 0;
  private readonly urgent = new Map<string, Waiter>();
  private readonly normal = new Map<string, Waiter>();
  private timer: NodeJS.Timeout | null = null;
  /** Requests a non-urgent check must leave in the bucket. */
  private readonly reserve: number;

  /** `burst`: requests that may go at once after a quiet spell; default two seconds' worth (1–10). */
  constructor(
    readonly perMinute: number,
    readonly burst = Math.min(10, Math.max(1, Math.floor(perMinute / 30))),
  ) {
    if (!(perMinute > 0) || !(burst >= 1))
      throw new RangeError(`RequestBudget: need perMinute > 0 and burst ≥ 1, got ${perMinute}, ${burst}`);
    this.tokens = burst;
    this.reserve = burst >= 2 ? 1 : 0;
  }

  /** Takes a request now if the budget allows it and nobody of the same or higher urgency is waiting. */
  tryTake(urgent: boolean): boolean {
    const now = Date.now();
    if (now < this.pausedUntil || this.urgent.size > 0 || (!urgent && this.normal.size > 0)) return false;
    this.refill(now);
    if (this.tokens < 1 + (urgent ? 0 : this.reserve)) return false;
    this.take();
    return true;
  }

  /** Waits in line for a request: true when it may go, false when the wait was called off (forget, stop).
   *  One place in line per key; asking again while waiting moves the key up if it became urgent. */
  acquire(key: string, urgent: boolean): Promise<boolean> {
    this.cancel(key);
    return new Promise<boolean>((resolve) => {
      (urgent ? this.urgent : this.normal).set(key, { grant: resolve });
      this.drain();
    });
  }

  /** A kiosk started watching the payment, or a cancel is due: its wait moves to the urgent line. */
  promote(key: string): void {
    const w = this.normal.get(key);
    if (!w) return;
    this.normal.delete(key);
    this.urgent.set(key, w);
    this.drain();
  }

  waiting(key: string): boolean {
    return this.urgent.has(key) || this.normal.has(key);
  }

  /** Calls off a key's wait (its acquire resolves false). */
  cancel(key: string): void {
    const w = this.urgent.get(key) ?? this.normal.get(key);
    if (!w) return;
    this.urgent.delete(key);
    this.normal.delete(key);
    w.grant(false);
  }

  /** One more request that cannot wait (the cancel that follows a check): counted, even into debt. */
  spend(): void {
    this.refill(Date.now());
    this.take();
  }

  /** The provider asked us to come back later: nothing goes to it before then, and the bucket starts over
   *  from at most one request, so the end of the pause is not a burst. */
  pause(ms: number): void {
    const until = Date.now() + Math.max(0, ms);
    if (until <= this.pausedUntil) return;
    this.refill(Date.now());
    this.pausedUntil = until;
    this.tokens = Math.min(this.tokens, 1);
    this.refilledAt = until;
    this.arm(ms);
  }

  pausedFor(): number {
    return Math.max(0, this.pausedUntil - Date.now());
  }

  /** Calls off every wait (the poller is stopping). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const key of [...this.urgent.keys(), ...this.normal.keys()]) this.cancel(key);
  }

  private take(): void {
    this.tokens -= 1;
  }

  private refill(now: number): void {
    const elapsed = now - this.refilledAt;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perMinute) / 60_000);
    this.refilledAt = now;
  }

  private drain(): void {
    const now = Date.now();
    if (now < this.pausedUntil) return this.arm(this.pausedUntil - now);
    this.refill(now);
    for (;;) {
      const line = this.urgent.size > 0 ? this.urgent : this.normal;
      const first = line.keys().next();
      if (first.done) return;
      const needed = 1 + (line === this.urgent ? 0 : this.reserve);
      if (this.tokens < needed) return this.arm(Math.ceil(((needed - this.tokens) * 60_000) / this.perMinute));
      const w = line.get(first.value)!;
      line.delete(first.value);
      this.take();
      w.grant(true);
    }
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.drain();
      },
      Math.max(1, ms),
    );
    this.timer.unref?.();
  }
}

/** One budget per provider account (one account per provider per proxy today). */
export class RequestBudgets {
  private readonly budgets = new Map<ProviderName, RequestBudget>();

  constructor(private readonly perMinute: Record<ProviderName, number>) {}

  of(provider: ProviderName): RequestBudget {
    let b = this.budgets.get(provider);
    if (!b) {
      b = new RequestBudget(this.perMinute[provider]);
      this.budgets.set(provider, b);
    }
    return b;
  }

  promote(key: string): void {
    for (const b of this.budgets.values()) b.promote(key);
  }

  cancel(key: string): void {
    for (const b of this.budgets.values()) b.cancel(key);
  }

  close(): void {
    for (const b of this.budgets.values()) b.close();
  }
}
