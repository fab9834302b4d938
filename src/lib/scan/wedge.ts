// Keyboard-wedge scanners type the code as fast keystrokes plus Enter/Tab. This tells such a burst from
// a person typing by inter-key timing, without needing a focused field, and keeps scans out of the page:
// a scan must never land in whatever input happens to have focus, and its Enter must never "click" the
// focused button (that could start a second payment). A person typing slowly is never interfered with.
import type { ScanResult, WedgeBurst } from './types';
import { isModifierKey, keyChar, type KeyLike } from './keys';
import { bindFieldGuard } from './wedge-dom';

export interface WedgeOptions {
  /** Scanner-configured prefix; stripped when a burst starts with it. */
  prefix?: string;
  /** Bursts with fewer characters (after the prefix) are human typing. Default 6. */
  minLength?: number;
  /** Median ms/char a burst may have before any scanner has been learned. Default 50. */
  baseIntervalMs?: number;
  /** Silence that ends a burst without Enter/Tab. Default 100. */
  timeoutMs?: number;
}

export interface WedgeKey extends KeyLike {
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  repeat?: boolean;
  isComposing?: boolean;
}

export interface WedgeSink {
  burst(b: WedgeBurst): void;
  /** Swallowing starts now; characters that already reached the page must be taken back. */
  intercept?(): void;
  /** A scan finished by timeout or terminator while characters had reached the page. */
  takeBack?(): void;
  /** Swallowed keys turned out to be a person typing fast: give them back to the page. */
  giveBack?(text: string): void;
}

/** Scanners are regular; people are not. Slow scanners (up to ~80 ms/char) are accepted when steady. */
const STEADY_MAX_MS = 85;
const LEARNED_CAP_MS = 90;
/** Keys seen (2 intervals) before swallowing starts: one fast pair is a person's key roll-over. */
const CONFIRM_KEYS = 3;
/** A timer or key event this late means the main thread was blocked (the Long Tasks API's 50 ms). */
const STALL_MS = 50;
/** Stalls keep a burst open at most this long after its last key (a hidden tab's throttled timers are
 *  always late; they must not hold a burst forever). */
const STALL_CAP_MS = 2_000;
/** Keys arriving late keep a burst open as long again as they were late, up to this. */
const LATE_WAIT_CAP_MS = 1_000;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Infinity;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export class WedgeDetector {
  readonly minLength: number;
  readonly timeoutMs: number;
  private readonly prefix: string;
  private readonly baseMs: number;
  /** Running estimate of the attached scanner's ms/char, learned from accepted bursts. */
  private learnedMs: number | undefined;
  private chars: string[] = [];
  private times: number[] = [];
  private swallowing = false;
  private leaked = false;
  /** Until when the page could not take keys: silence before then does not end the burst. */
  private deafUntil = -Infinity;
  /** Until when a key still in the input pipeline may yet arrive (the last key event came late). */
  private lateUntil = -Infinity;

  constructor(
    private readonly sink: WedgeSink,
    opts: WedgeOptions = {},
  ) {
    this.prefix = opts.prefix ?? '';
    this.minLength = opts.minLength ?? 6;
    this.baseMs = opts.baseIntervalMs ?? 50;
    this.timeoutMs = opts.timeoutMs ?? 100;
  }

  /** Accept threshold for a burst's median interval right now. */
  thresholdMs(): number {
    return Math.max(this.baseMs, this.learnedMs === undefined ? 0 : Math.min(LEARNED_CAP_MS, this.learnedMs * 1.6));
  }

  get pending(): number {
    return this.chars.length;
  }

  /** When the current buffer times out, or null when empty. */
  deadline(): number | null {
    if (this.times.length === 0) return null;
    return Math.max(this.times[this.times.length - 1], this.deafUntil, this.lateUntil) + this.timeoutMs;
  }

  /**
   * The main thread was blocked until `until`. Silence is only evidence that a burst ended while the page
   * could receive keys: a scanner's keys typed meanwhile may still be queued (they carry their real times
   * but arrive after the burst timer), and a keyboard that waits for the page before its next key (remote
   * control, a test driver) could not type at all. So the timeout counts again from `until`.
   */
  deaf(until: number): void {
    if (this.times.length === 0) return;
    const cap = this.times[this.times.length - 1] + STALL_CAP_MS;
    this.deafUntil = Math.max(this.deafUntil, Math.min(until, cap));
  }

  /**
   * The page is handed key events one at a time, the next only once it acknowledged the last; on a loaded
   * machine each hand-over can outlast the timeout while the page itself sits idle (its timers on time). A key
   * event that came `lag` ms after it happened shows such a backed-up pipeline: the scanner's next key may be
   * as late, so silence counts only from `arrivedAt + lag` (capped). Each key event replaces the last word.
   */
  late(arrivedAt: number, lag: number): void {
    this.lateUntil = lag > 0 ? arrivedAt + Math.min(lag, LATE_WAIT_CAP_MS) : -Infinity;
  }

  /** Feed one keydown at time t (ms). Returns true when the caller must preventDefault it. */
  key(ev: WedgeKey, t: number): { prevent: boolean; startsBuffer: boolean } {
    if (isModifierKey(ev.key)) return { prevent: false, startsBuffer: false };
    if (this.endedBefore(t)) this.finish('timeout');
    if (ev.repeat || ev.isComposing || ev.key === 'Process' || ev.ctrlKey || ev.metaKey || (ev.altKey && !ev.ctrlKey)) {
      this.finish(null);
      return { prevent: false, startsBuffer: false };
    }
    if (ev.key === 'Enter' || ev.key === 'Tab') {
      const accepted = this.finish(ev.key);
      return { prevent: accepted, startsBuffer: false };
    }
    const ch = keyChar(ev);
    if (ch === null) {
      this.finish(null);
      return { prevent: false, startsBuffer: false };
    }
    const startsBuffer = this.chars.length === 0;
    this.chars.push(ch);
    this.times.push(t);
    if (!this.swallowing && this.chars.length >= CONFIRM_KEYS) {
      const recent = this.intervals().slice(-(CONFIRM_KEYS - 1));
      if (recent.every((d) => d <= this.thresholdMs())) {
        this.swallowing = true;
        if (this.leaked) this.sink.intercept?.();
        this.leaked = false;
      }
    }
    if (!this.swallowing) this.leaked = true;
    return { prevent: this.swallowing, startsBuffer };
  }

  /** Call when time passes without keys; ends a burst whose last key is older than timeoutMs. */
  idle(t: number): void {
    const d = this.deadline();
    if (d !== null && t >= d) this.finish('timeout');
  }

  /** Did the buffer end before a key that happened at t? */
  private endedBefore(t: number): boolean {
    const d = this.deadline();
    if (d === null) return false;
    // A key from while the page was deaf was queued, not held back: its own time says how long the silence was.
    if (t <= this.deafUntil) return t - this.times[this.times.length - 1] >= this.timeoutMs;
    return t >= d;
  }

  private intervals(): number[] {
    const out: number[] = [];
    for (let i = 1; i < this.times.length; i++) out.push(this.times[i] - this.times[i - 1]);
    return out;
  }

  /** Would the current buffer count as a scan? */
  private qualifies(): { ok: boolean; text: string; med: number } {
    let text = this.chars.join('');
    if (this.prefix && text.startsWith(this.prefix)) text = text.slice(this.prefix.length);
    const iv = this.intervals();
    const med = median(iv);
    if (text.length < this.minLength || iv.length === 0) return { ok: false, text, med };
    if (med <= this.thresholdMs()) return { ok: true, text, med };
    // A steady slow scanner: every gap within ±50% of the median (people wander far more than that).
    const steady = med <= STEADY_MAX_MS && iv.every((d) => d >= med * 0.5 && d <= med * 1.5 + 5);
    return { ok: steady, text, med };
  }

  /** Ends the buffer; returns whether it was accepted as a scan. */
  private finish(terminator: WedgeBurst['terminator'] | null): boolean {
    if (this.chars.length === 0) return false;
    const { ok, text, med } = terminator ? this.qualifies() : { ok: false, text: '', med: 0 };
    const burst: WedgeBurst | null =
      ok && terminator
        ? { text, intervalsMs: this.intervals(), durationMs: this.times[this.times.length - 1] - this.times[0], terminator }
        : null;
    const swallowed = this.swallowing;
    const leaked = this.leaked;
    const typed = this.chars.join('');
    this.chars = [];
    this.times = [];
    this.swallowing = false;
    this.leaked = false;
    this.deafUntil = -Infinity;
    this.lateUntil = -Infinity;
    if (burst) {
      this.learnedMs = this.learnedMs === undefined ? med : 0.7 * this.learnedMs + 0.3 * med;
      if (leaked) this.sink.takeBack?.();
      this.sink.burst(burst);
      return true;
    }
    // Keys that reached the page before swallowing began were taken back then, so all of them go back.
    if (swallowed) this.sink.giveBack?.(typed);
    return false;
  }
}

export function burstToScan(b: WedgeBurst, at = Date.now()): ScanResult {
  return { text: b.text, format: 'Keyboard', engine: 'wedge', decodeMs: b.durationMs, at };
}

export interface AttachWedgeOptions extends WedgeOptions {
  onBurst(burst: WedgeBurst): void;
  onScan?(r: ScanResult): void;
  /** Clock for event times; defaults to performance.now (the clock of KeyboardEvent.timeStamp). */
  now?: () => number;
}

/**
 * Listens on `target` (capture phase, so it sees keys before the page does) and returns a detach
 * function. Keys of a recognised burst get preventDefault + stopPropagation.
 */
export function attachWedge(target: Window | Document, opts: AttachWedgeOptions): () => void {
  const now = opts.now ?? (() => performance.now());
  const guard = bindFieldGuard(target);
  const detector = new WedgeDetector(
    {
      burst(b) {
        opts.onBurst(b);
        opts.onScan?.(burstToScan(b));
      },
      intercept: () => guard.revert(),
      takeBack: () => guard.revert(),
      giveBack: (text) => guard.giveBack(text),
    },
    opts,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    const d = detector.deadline();
    if (d === null) return;
    const wait = Math.max(0, d - now()) + 1;
    const due = now() + wait;
    timer = setTimeout(() => {
      const t = now();
      // Running this late means the thread was blocked: keys may be queued behind this very callback.
      if (t - due >= STALL_MS) detector.deaf(t);
      detector.idle(t);
      arm();
    }, wait);
  };
  /** Any key event handled long after it happened shows a stall, even one that ended before the timer was due. */
  const noteLateness = (ev: KeyboardEvent) => {
    const t = now();
    const lag = ev.timeStamp > 0 ? t - ev.timeStamp : 0;
    if (lag >= STALL_MS) detector.deaf(t);
    if (detector.pending > 0) detector.late(t, lag >= STALL_MS ? lag : 0);
  };
  const onKey = (e: Event) => {
    const ev = e as KeyboardEvent;
    // KeyboardEvent.timeStamp is when the key happened; a busy main thread delivers a person's keys in a
    // clump, and timing them on arrival would make them look like a scanner.
    const t = ev.timeStamp > 0 ? ev.timeStamp : now();
    const { prevent, startsBuffer } = detector.key(ev, t);
    // After key(): whether the previous burst had ended is judged by this key's own time, not by the stall.
    noteLateness(ev);
    if (startsBuffer) guard.snapshot();
    if (prevent) {
      ev.preventDefault();
      ev.stopPropagation();
    }
    arm();
  };
  const onKeyUp = (e: Event) => {
    noteLateness(e as KeyboardEvent);
    arm();
  };
  target.addEventListener('keydown', onKey, { capture: true });
  target.addEventListener('keyup', onKeyUp, { capture: true, passive: true });
  return () => {
    target.removeEventListener('keydown', onKey, { capture: true });
    target.removeEventListener('keyup', onKeyUp, { capture: true });
    clearTimeout(timer);
  };
}
