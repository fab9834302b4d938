// The token bucket's arithmetic, pure: the state one provider account's budget keeps (in the database, so
// every proxy on it draws from the same bucket: store/provider-budgets.ts) and what taking from it, spending
// into debt and pausing do to that state. Times are ms since the epoch.

export interface BucketState {
  tokens: number;
  refilledAt: number;
  /** Nothing may be sent to the account before this (a provider's 429 Retry-After). */
  pausedUntil: number;
}

export interface BucketShape {
  perMinute: number;
  burst: number;
}

export interface Taken {
  state: BucketState;
  granted: number;
  /** When `granted` < `want`: ms until the next request could be granted (a pause's end, or a refill). */
  waitMs: number;
}

export function fullBucket(shape: BucketShape, now: number): BucketState {
  return { tokens: shape.burst, refilledAt: now, pausedUntil: 0 };
}

function refill(s: BucketState, shape: BucketShape, now: number): BucketState {
  const elapsed = now - s.refilledAt;
  // A clock behind the one that last refilled adds nothing (several instances' clocks never quite agree).
  if (elapsed <= 0) return s;
  return { ...s, tokens: Math.min(shape.burst, s.tokens + (elapsed * shape.perMinute) / 60_000), refilledAt: now };
}

/** Takes up to `want` requests, leaving `reserve` in the bucket (for urgent checks). */
export function takeTokens(s: BucketState, shape: BucketShape, now: number, want: number, reserve: number): Taken {
  if (now < s.pausedUntil) return { state: s, granted: 0, waitMs: s.pausedUntil - now };
  const r = refill(s, shape, now);
  const granted = Math.max(0, Math.min(want, Math.floor(r.tokens - reserve)));
  const state = { ...r, tokens: r.tokens - granted };
  const needed = 1 + reserve - state.tokens;
  const waitMs = granted < want ? Math.max(1, Math.ceil((needed * 60_000) / shape.perMinute)) : 0;
  return { state, granted, waitMs };
}

/** One request that cannot wait (the cancel after a check): counted, even into debt. */
export function spendToken(s: BucketState, shape: BucketShape, now: number): BucketState {
  const r = refill(s, shape, now);
  return { ...r, tokens: r.tokens - 1 };
}

/** The provider asked us to come back at `until`: nothing goes before then, and the bucket starts over from
 *  at most one request, so the end of the pause is not a burst. A shorter pause never shortens a longer one. */
export function pauseBucket(s: BucketState, shape: BucketShape, now: number, until: number): BucketState {
  if (until <= s.pausedUntil) return s;
  const r = refill(s, shape, now);
  return { tokens: Math.min(r.tokens, 1), refilledAt: until, pausedUntil: until };
}

/** Where a budget's bucket is kept. Every proxy on one database shares one (store/provider-budgets.ts);
 *  MemoryBucket is one process's own (the wait line's unit tests). */
export interface Bucket {
  take(want: number, reserve: number): Promise<{ granted: number; waitMs: number; pausedUntil: number }>;
  spend(): Promise<void>;
  pause(until: number): Promise<void>;
}

export class MemoryBucket implements Bucket {
  private state: BucketState;

  constructor(private readonly shape: BucketShape) {
    this.state = fullBucket(shape, Date.now());
  }

  async take(want: number, reserve: number): Promise<{ granted: number; waitMs: number; pausedUntil: number }> {
    const t = takeTokens(this.state, this.shape, Date.now(), want, reserve);
    this.state = t.state;
    return { granted: t.granted, waitMs: t.waitMs, pausedUntil: t.state.pausedUntil };
  }

  async spend(): Promise<void> {
    this.state = spendToken(this.state, this.shape, Date.now());
  }

  async pause(until: number): Promise<void> {
    this.state = pauseBucket(this.state, this.shape, Date.now(), until);
  }
}
