// The self-checkout idle clock. Any touch, click or key (a wedge scanner types keys) restarts it. After
// `idleMs` untouched the kiosk asks "Still there?" with a countdown; at its end `onTimeout` starts over. On
// the Paid screen ('quiet') there is nothing to lose, so it goes straight back without asking. Plain
// TypeScript over an injected state object (the mode passes a $state proxy so the screens react; tests a
// plain object and their own clock).
export type IdleMode = 'off' | 'ask' | 'quiet';

/** The "Still there?" countdown: a quarter of the idle time, between 3 and 15 seconds. */
export function countdownMs(idleMs: number): number {
  return Math.min(15_000, Math.max(3_000, Math.round(idleMs / 4)));
}

export interface IdleOptions {
  idleMs: () => number;
  mode: () => IdleMode;
  onTimeout: () => void;
  now?: () => number;
}

export interface IdleState {
  /** "Still there?" is up. */
  asking: boolean;
  secondsLeft: number;
}

export class IdleClock {
  #last: number;
  readonly #now: () => number;

  constructor(
    readonly state: IdleState,
    private readonly opts: IdleOptions,
  ) {
    this.#now = opts.now ?? Date.now;
    this.#last = this.#now();
  }

  touch(): void {
    this.#last = this.#now();
    this.state.asking = false;
  }

  /** Called every tick (and testable without timers). */
  check(): void {
    const mode = this.opts.mode();
    if (mode === 'off') return this.touch();
    const idle = this.#now() - this.#last;
    const idleMs = this.opts.idleMs();
    const limit = mode === 'quiet' ? idleMs : idleMs + countdownMs(idleMs);
    if (idle >= limit) {
      this.touch();
      this.opts.onTimeout();
    } else if (mode === 'ask' && idle >= idleMs) {
      this.state.asking = true;
      this.state.secondsLeft = Math.ceil((limit - idle) / 1000);
    }
  }

  /** Listens for activity on the window and ticks; returns the stop function. */
  start(target: Window = window, tickMs = 250): () => void {
    const onActivity = () => this.touch();
    const events = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;
    for (const e of events) target.addEventListener(e, onActivity, { capture: true, passive: true });
    this.touch();
    const timer = setInterval(() => this.check(), tickMs);
    return () => {
      clearInterval(timer);
      for (const e of events) target.removeEventListener(e, onActivity, { capture: true });
    };
  }
}
