// Exponential backoff with jitter, the one formula for every retry schedule (reconciler, refund/void
// follow-ups, and the kiosk's reconnects and uploads). Pure: the random source is injectable, so a caller or a
// test can make it deterministic.
//
// The jitter keeps a floor: the delay is drawn from [(1 − jitter)·step, step), where step is the capped
// exponential. jitter = 0.5 is "equal jitter"; 1 would be "full jitter". We do not use full jitter: it spreads
// a large herd best, but it can draw a delay near zero, and for us that means asking a provider again at
// once right after it failed or throttled us, and a poll cadence nobody can reason about (customer
// confirmation deadlines, tests). Our herds are small (a store's tablets, a few open payments per instance),
// so spreading over the top part of each step is enough to keep them out of lock-step.

export interface BackoffPolicy {
  /** Delay before the first retry (attempt 0), in ms. */
  baseMs: number;
  /** No step grows beyond this (before jitter), in ms. */
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
  /** Fraction of each step that is random, 0..1; default 0.5 (equal jitter). 0 = no jitter. */
  jitter?: number;
  /** Uniform in [0, 1); default Math.random. */
  random?: () => number;
}

/** Delay in whole ms before retry number `attempt` (0-based): min(maxMs, baseMs · factor^attempt), of which
 *  the top `jitter` fraction is random. Never below (1 − jitter) of that step, never above maxMs. */
export function backoff(attempt: number, policy: BackoffPolicy): number {
  const { baseMs, maxMs, factor = 2, jitter = 0.5, random = Math.random } = policy;
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`backoff: attempt must be a whole number ≥ 0, got ${attempt}`);
  if (!(baseMs >= 0) || !(maxMs >= baseMs)) throw new RangeError(`backoff: need 0 ≤ baseMs ≤ maxMs, got ${baseMs} and ${maxMs}`);
  if (!(factor >= 1)) throw new RangeError(`backoff: factor must be ≥ 1, got ${factor}`);
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`backoff: jitter must be within 0..1, got ${jitter}`);
  // baseMs · factor^attempt overflows to Infinity for large attempts; 0 · Infinity would be NaN.
  const step = baseMs === 0 ? 0 : Math.min(maxMs, baseMs * factor ** attempt);
  return Math.round(step * (1 - jitter + jitter * random()));
}
