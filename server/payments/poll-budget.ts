// The reconciler's request budget per provider account: a token bucket (POLL_RATE_<NAME> per minute, a small
// burst) with a wait line in which urgent checks — a kiosk is watching, a cancel is due — go before the rest
// (and the rest leave one request in the bucket for them, so a backlog never makes a watched payment wait),
// and a pause the provider can order (429 + Retry-After). However many payments are open, the reconciler
// never sends more than rate + burst requests to one account in any minute: a backlog waits in line
// instead of becoming a flood (providers limit requests per account, all tills together: see each module's polling.ts).
// The bucket itself is kept in the database (store/provider-budgets.ts), so that bound holds for all the
// proxies on one database together, and a Retry-After one of them is told pauses them all; the wait line is
// this process's. One take asks for as many requests as wait in line, so a backlog costs one round trip per
// refill, not one per request. The proxies' normal lines take turns at the shared bucket (token-bucket.ts).
import type { ProviderName } from '../../src/shared/payment.ts';
import { MemoryBucket, type Bucket, type BucketShape } from './token-bucket.ts';

interface Waiter {
  grant: (granted: boolean) => void;
}

/** After a failed take (database unreachable) the line tries again this much later: nothing is sent meanwhile. */
const TAKE_RETRY_MS = 1_000;

export class RequestBudget {
  /** As last learned from the bucket (or ordered here), so a paused account costs no round trips. */
  private pausedUntil = 0;
  private readonly urgent = new Map<string, Waiter>();
  private readonly normal = new Map<string, Waiter>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  /** Requests a non-urgent check must leave in the bucket. */
  private readonly reserve: number;
  private readonly bucket: Bucket;

  /** `burst`: requests that may go at once after a quiet spell; default two seconds' worth (1–10).
   *  `bucket`: where the tokens are kept (default: this process's memory). */
  constructor(
    readonly perMinute: number,
    readonly burst = defaultBurst(perMinute),
    bucket?: Bucket,
  ) {
    if (!(perMinute > 0) || !(burst >= 1))
      throw new RangeError(`RequestBudget: need perMinute > 0 and burst ≥ 1, got ${perMinute}, ${burst}`);
    this.reserve = burst >= 2 ? 1 : 0;
    this.bucket = bucket ?? new MemoryBucket({ perMinute, burst });
  }

  /** Takes a request now if the budget allows it and nobody of the same or higher urgency is waiting here. */
  async tryTake(urgent: boolean): Promise<boolean> {
    if (this.paused() || this.urgent.size > 0 || (!urgent && this.normal.size > 0)) return false;
    const r = await this.bucket.take(1, urgent ? 0 : this.reserve, urgent ? 'urgent' : 'normal');
    this.notePause(r.pausedUntil);
    return r.granted === 1 && !this.paused();
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
  spend(): Promise<void> {
    return this.bucket.spend();
  }

  /** The provider asked us to come back later: nothing goes to it before then — from any proxy on the
   *  database — and the bucket starts over from at most one request, so the end of the pause is not a burst. */
  async pause(ms: number): Promise<void> {
    const until = Date.now() + Math.max(0, ms);
    this.notePause(until);
    await this.bucket.pause(until);
  }

  private paused(): boolean {
    return Date.now() < this.pausedUntil;
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

  private notePause(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  /** One take at a time; waiters that join meanwhile are served by the next. */
  private drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.serveLine().finally(() => {
      this.draining = null;
      if (this.drainAgain) {
        this.drainAgain = false;
        this.drain();
      }
    });
  }

  private async serveLine(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) return this.arm(this.pausedUntil - now);
      const line = this.urgent.size > 0 ? this.urgent : this.normal;
      const wanted = line.size;
      if (wanted === 0) return;
      let r: Awaited<ReturnType<Bucket['take']>>;
      try {
        r = line === this.urgent ? await this.bucket.take(wanted, 0, 'urgent') : await this.bucket.take(wanted, this.reserve, 'normal');
      } catch {
        return this.arm(TAKE_RETRY_MS);
      }
      this.notePause(r.pausedUntil);
      // A pause ordered while the take was under way (another check was just told 429): what it granted is
      // not handed out — the requests would reach the provider inside the pause it asked for.
      if (this.paused()) continue;
      // Waiters called off meanwhile leave their requests unused: never sent, so never over the rate.
      let left = r.granted;
      for (const [key, w] of line) {
        if (left-- <= 0) break;
        line.delete(key);
        w.grant(true);
      }
      if (r.granted < wanted) {
        if (this.urgent.size > 0 || this.normal.size > 0) this.arm(r.waitMs);
        return;
      }
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

export function defaultBurst(perMinute: number): number {
  return Math.min(10, Math.max(1, Math.floor(perMinute / 30)));
}

/** One budget per provider account (one account per provider per proxy today; the account's key is the
 *  provider's name, so every proxy on a database must be configured with the same account per provider). */
export class RequestBudgets {
  private readonly budgets = new Map<ProviderName, RequestBudget>();

  /** `bucketOf`: where an account's tokens are kept (default: this process's memory). */
  constructor(
    private readonly perMinute: Record<ProviderName, number>,
    private readonly bucketOf?: (account: ProviderName, shape: BucketShape) => Bucket,
  ) {}

  of(provider: ProviderName): RequestBudget {
    let b = this.budgets.get(provider);
    if (!b) {
      const perMinute = this.perMinute[provider];
      const burst = defaultBurst(perMinute);
      b = new RequestBudget(perMinute, burst, this.bucketOf?.(provider, { perMinute, burst }));
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
