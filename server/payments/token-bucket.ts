// The token bucket's arithmetic, pure: the state one provider account's budget keeps (in the database, so
// every proxy on it draws from the same bucket: store/provider-budgets.ts) and what taking from it, spending
// into debt and pausing do to that state. Times are ms since the epoch.

export interface BucketState {
  tokens: number;
  refilledAt: number;
  /** Nothing may be sent to the account before this (a provider's 429 Retry-After). */
  pausedUntil: number;
  /** Whose turn the next token is, until `nextUntil`, and for which line: the proxy refused a token last.
   *  Proxies sharing the bucket all wait for the same next token, and without turns the one that asks first
   *  (the quicker event loop) takes every one and starves the others' payments (seen: one proxy 0 of 12
   *  requests under load). An urgent turn holds back everyone; a normal one only the other normal lines, so
   *  a backlog's turn never delays a watched payment. */
  nextTaker: string | null;
  nextUntil: number;
  nextLine: Line | null;
  /** Who was granted tokens last: its own refusals claim no turn (a proxy whose line is woken often asks
   *  early, is refused, and would otherwise hold every turn). */
  lastTaker: string | null;
}

export interface BucketShape {
  perMinute: number;
  burst: number;
}

export type Line = 'urgent' | 'normal';

export interface Taken {
  state: BucketState;
  granted: number;
  /** When `granted` < `want`: ms until the next request could be granted (a pause's end, or a refill). */
  waitMs: number;
}

/** How late a proxy may come back for its turn (at least one token's interval): a busy event loop is late by
 *  hundreds of ms, and a turn that lapses first goes back to the quicker proxy. A proxy that died holds the
 *  next token at most this long: less for watched checks, whose answer a kiosk is waiting for. */
export const TURN_GRACE_MS: Record<Line, number> = { urgent: 1_000, normal: 2_000 };

/** Who asks for a token, when the bucket is shared (a bucket of one's own needs no turns). */
export interface Turn {
  taker: string;
  line: Line;
}

export function fullBucket(shape: BucketShape, now: number): BucketState {
  return { tokens: shape.burst, refilledAt: now, pausedUntil: 0, nextTaker: null, nextUntil: 0, nextLine: null, lastTaker: null };
}

function refill(s: BucketState, shape: BucketShape, now: number): BucketState {
  const elapsed = now - s.refilledAt;
  // A clock behind the one that last refilled adds nothing (several instances' clocks never quite agree).
  if (elapsed <= 0) return s;
  return { ...s, tokens: Math.min(shape.burst, s.tokens + (elapsed * shape.perMinute) / 60_000), refilledAt: now };
}

/** Takes up to `want` requests, leaving `reserve` in the bucket (for urgent checks), in turn with the other
 *  proxies when `turn` says who asks. */
export function takeTokens(s: BucketState, shape: BucketShape, now: number, want: number, reserve: number, turn?: Turn): Taken {
  if (now < s.pausedUntil) return { state: s, granted: 0, waitMs: s.pausedUntil - now };
  const r = refill(s, shape, now);
  const live = r.nextTaker !== null && now < r.nextUntil;
  const othersTurn = turn !== undefined && live && r.nextTaker !== turn.taker && (turn.line === 'normal' || r.nextLine === 'urgent');
  const granted = othersTurn ? 0 : Math.max(0, Math.min(want, Math.floor(r.tokens - reserve)));
  let state: BucketState = { ...r, tokens: r.tokens - granted };
  const needed = 1 + reserve - state.tokens;
  let waitMs = granted < want ? Math.max(1, Math.ceil((needed * 60_000) / shape.perMinute)) : 0;
  if (turn === undefined) return { state, granted, waitMs };
  const interval = Math.ceil(60_000 / shape.perMinute);
  if (othersTurn) {
    // Back one token later: the other has taken its turn by then, and a refusal then makes this proxy next.
    waitMs = Math.min(Math.max(waitMs, interval), r.nextUntil - now);
  } else if (granted > 0) {
    state = { ...state, lastTaker: turn.taker };
    // Turn used: the next proxy refused is next.
    if (r.nextTaker === turn.taker) state = { ...state, nextTaker: null, nextUntil: 0, nextLine: null };
  } else if (r.lastTaker !== turn.taker && (!live || r.nextTaker === turn.taker || turn.line === 'urgent')) {
    // Refused for want of tokens: this proxy's turn (a watched payment's turn before a backlog's), for the
    // wait plus a grace to come back and take it.
    const grace = Math.max(TURN_GRACE_MS[turn.line], interval);
    state = { ...state, nextTaker: turn.taker, nextUntil: now + waitMs + grace, nextLine: turn.line };
  }
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
  return { ...r, tokens: Math.min(r.tokens, 1), refilledAt: until, pausedUntil: until };
}

/** Where a budget's bucket is kept. Every proxy on one database shares one (store/provider-budgets.ts);
 *  MemoryBucket is one process's own (the wait line's unit tests). */
export interface Bucket {
  /** `line`: whether a watched payment (or a cancel) asks, or a backlog: see BucketState's turns. */
  take(want: number, reserve: number, line: Line): Promise<{ granted: number; waitMs: number; pausedUntil: number }>;
  spend(): Promise<void>;
  pause(until: number): Promise<void>;
}

export class MemoryBucket implements Bucket {
  private readonly held: { state: BucketState };

  /** `taker`: who takes from it (several views of one bucket, `as`, are proxies sharing it). */
  constructor(
    private readonly shape: BucketShape,
    private readonly taker?: string,
    held?: { state: BucketState },
  ) {
    this.held = held ?? { state: fullBucket(shape, Date.now()) };
  }

  /** The same bucket, taken from by another proxy. */
  as(taker: string): MemoryBucket {
    return new MemoryBucket(this.shape, taker, this.held);
  }

  async take(want: number, reserve: number, line: Line): Promise<{ granted: number; waitMs: number; pausedUntil: number }> {
    const turn = this.taker === undefined ? undefined : { taker: this.taker, line };
    const t = takeTokens(this.held.state, this.shape, Date.now(), want, reserve, turn);
    this.held.state = t.state;
    return { granted: t.granted, waitMs: t.waitMs, pausedUntil: t.state.pausedUntil };
  }

  async spend(): Promise<void> {
    this.held.state = spendToken(this.held.state, this.shape, Date.now());
  }

  async pause(until: number): Promise<void> {
    this.held.state = pauseBucket(this.held.state, this.shape, Date.now(), until);
  }
}
