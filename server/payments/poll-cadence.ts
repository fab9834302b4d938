// How often the reconciler asks about one payment, and when that is worth writing down. Pure.
//
// Fast while a kiosk is watching (the cashier and customer are waiting for the verdict): POLL_INITIAL_MS
// growing to POLL_MAX_MS. Slow when nobody is, or once the payment has been open longer than
// POLL_FAST_FOR_MS: from the provider's own recommended interval, doubling up to POLL_IDLE_MS. A cashier's
// cancel is always fast. An `expired` payment (re-checked for a late capture) is slower still.
import { backoff } from '../../src/shared/backoff.ts';

/** `expired` payments are checked this many times less often than a watched one, and never more often
 *  than an idle one. */
export const EXPIRED_SLOWDOWN = 6;

export interface CadenceSettings {
  initialMs: number;
  maxMs: number;
  idleMs: number;
  fastForMs: number;
}

export type Regime = 'fast' | 'slow' | 'late';

export interface PaymentWatchState {
  /** A kiosk has the payment's terminal stream open, or read the payment recently. */
  watched: boolean;
  /** A cashier asked to cancel it. */
  cancelling: boolean;
  /** `expired`: only a late capture can still change it. */
  lateWatch: boolean;
  /** Since the payment was created. */
  ageMs: number;
}

export function regimeOf(s: PaymentWatchState, c: CadenceSettings): Regime {
  if (s.lateWatch) return 'late';
  if (s.cancelling || (s.watched && s.ageMs < c.fastForMs)) return 'fast';
  return 'slow';
}

/** Delay before the next check: `attempt` counts checks made in this regime (0-based), `pendingQueryMs`
 *  is the provider's recommended interval. Jittered so the checks of many payments (and of several proxy
 *  instances) do not move in lock-step. `fairShareMs`: the interval at which the watched payments of this
 *  provider account together use its whole request budget. A fast check is never more frequent: N watched
 *  payments then share the budget evenly, each asked about every N / rate, instead of asking for more than
 *  the budget and waiting in its line (where a check is late by the whole line, and the line only grows). */
export function cadenceDelay(
  regime: Regime,
  attempt: number,
  pendingQueryMs: number,
  c: CadenceSettings,
  random?: () => number,
  fairShareMs = 0,
): number {
  if (regime === 'fast')
    return Math.max(fairShareMs, backoff(attempt, { baseMs: c.initialMs, maxMs: c.maxMs, factor: 1.5, jitter: 0.25, random }));
  if (regime === 'late') {
    const ms = Math.max(c.idleMs, c.maxMs * EXPIRED_SLOWDOWN);
    return backoff(0, { baseMs: ms, maxMs: ms, jitter: 0.25, random });
  }
  const baseMs = Math.min(c.idleMs, Math.max(c.maxMs, pendingQueryMs));
  return backoff(attempt, { baseMs, maxMs: c.idleMs, factor: 2, jitter: 0.25, random });
}

/** The payment's row keeps `next_check_at` as its lease: the latest time its next check is due. The fast
 *  checks in between live only in memory, so the row is written when the next check would fall after the
 *  stored time (then pushed one idle period beyond it), not on every check. Returns the time to write, or
 *  null when the stored one still holds (or was not read yet). */
export function leaseToWrite(storedAt: number | null | undefined, nextAt: number, idleMs: number): number | null {
  if (storedAt === undefined) return null;
  if (storedAt !== null && storedAt >= nextAt) return null;
  return nextAt + idleMs;
}

/** A kiosk without its event stream reads an open payment every 1.5 s; a few missed reads still count. */
export const SEEN_FOR_MS = 10_000;

// A kiosk whose event stream is down reads its open payment (fresh=1) every 0.5 s and must show the verdict
// within 1 s (p95): each such read asks the provider, unless another did within PROMPT_GAP_MS or within the
// payment's fair share of the account's budget, and waits up to PROMPT_WAIT_MS so the read itself can carry
// the answer. A read that may not ask yet waits for the next check when it is due within PROMPT_WAIT_MS (and
// then up to PROMPT_WAIT_MS for its answer): the check's answer goes out with the read at once, not with the
// kiosk's next read half a second later. A check re-arms the cadence timer after it, so a polled payment is
// asked about once per read, not once per read plus the cadence.
export const PROMPT_GAP_MS = 400;
export const PROMPT_WAIT_MS = 500;
