// Wrong-PIN throttling per terminal: after `maxAttempts` wrong PINs in a row the terminal is locked out of
// PIN-gated actions for `lockMs`, doubling with each further lockout (capped at 1 h). A correct PIN resets it.
// While locked even the right PIN is refused — otherwise the lock would not slow guessing at all. In memory:
// the proxy restarting is not something a guesser at the till can make happen.
export interface ThrottleState {
  locked: boolean;
  retryAfterMs: number;
  attemptsLeft: number;
}

interface Entry {
  failures: number;
  lockouts: number;
  lockedUntil: number;
}

const MAX_LOCK_MS = 3_600_000;

export class PinThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxAttempts: number, private readonly lockMs: number, private readonly now: () => number = Date.now) {}

  check(key: string): ThrottleState {
    const e = this.entries.get(key);
    const left = this.maxAttempts - (e?.failures ?? 0);
    if (e && e.lockedUntil > this.now()) return { locked: true, retryAfterMs: e.lockedUntil - this.now(), attemptsLeft: 0 };
    return { locked: false, retryAfterMs: 0, attemptsLeft: Math.max(0, left) };
  }

  fail(key: string): ThrottleState {
    const e = this.entries.get(key) ?? { failures: 0, lockouts: 0, lockedUntil: 0 };
    e.failures++;
    if (e.failures >= this.maxAttempts) {
      e.lockedUntil = this.now() + Math.min(MAX_LOCK_MS, this.lockMs * 2 ** e.lockouts);
      e.lockouts++;
      e.failures = 0;
    }
    this.entries.set(key, e);
    return this.check(key);
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }
}
