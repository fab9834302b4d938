// Notification faults for simulators (ISSUE4 "duplicate, reorder, delay or drop"): a per-simulator book of
// one-shot faults that the shared delivery loop consults before each attempt. They model what the network
// and the provider's own queue do to webhooks, so the proxy's intake (dedupe, confirm-by-query) is tested
// against the same bytes, signatures and retry schedule a real provider would use.
import type { SimTimers } from './timers.ts';
import { readRepeat } from './faults.ts';

export type NotifyFaultKind = 'duplicate' | 'delay' | 'drop' | 'reorder';
const KINDS: readonly NotifyFaultKind[] = ['duplicate', 'delay', 'drop', 'reorder'];

export interface NotifyFault {
  kind: NotifyFaultKind;
  /** delay: wait before sending; reorder: longest hold when no other notification comes. */
  ms: number;
  /** How many attempts (any notification's) it still applies to. */
  times: number;
}

/** A reordered notification waits at most this long for another one to overtake it. */
export const DEFAULT_REORDER_HOLD_MS = 5_000;

export type Attempt = () => Promise<{ acked: boolean; result: string }>;

export class NotifyFaultBook {
  private faults: NotifyFault[] = [];
  private readonly held = new Set<() => void>();

  /** Validates a control-route body; returns an error message (nothing stored) or the stored fault. */
  add(body: unknown): NotifyFault | string {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
    const b = body as Record<string, unknown>;
    if (!KINDS.includes(b.kind as NotifyFaultKind)) return `kind must be one of ${KINDS.join(', ')}`;
    const repeat = readRepeat(b);
    if (typeof repeat === 'string') return repeat;
    const kind = b.kind as NotifyFaultKind;
    if (kind === 'delay' && repeat.ms <= 0) return 'delay needs ms > 0';
    const ms = kind === 'reorder' && b.ms === undefined ? DEFAULT_REORDER_HOLD_MS : repeat.ms;
    const fault = { kind, ms, times: repeat.times };
    this.faults.push(fault);
    return { ...fault };
  }

  list(): NotifyFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Forgets stored faults and lets any held notification go now, so nothing stays stuck. */
  clear(): void {
    this.faults = [];
    this.releaseHeld();
  }

  /** The oldest stored fault, used up by one attempt. */
  take(): NotifyFault | undefined {
    const f = this.faults[0];
    if (!f) return undefined;
    if (--f.times <= 0) this.faults.shift();
    return { ...f };
  }

  /** Resolves once another notification was sent, or after ms, whichever is first. */
  hold(timers: SimTimers, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        if (this.held.delete(release)) resolve();
      };
      this.held.add(release);
      timers.after(ms, release);
    });
  }

  releaseHeld(): void {
    for (const release of [...this.held]) release();
  }
}

// Keyed by the simulator's SimTimers: one instance per simulator lifetime, already handed to both the
// delivery loop and the control routes, so no simulator needs new wiring to get a book.
const books = new WeakMap<SimTimers, NotifyFaultBook>();

export function notifyFaultsFor(timers: SimTimers): NotifyFaultBook {
  let book = books.get(timers);
  if (!book) books.set(timers, (book = new NotifyFaultBook()));
  return book;
}

const NOT_SENT = (result: string) => ({ acked: false, result });

/** One delivery attempt with the next stored fault (if any) applied. */
export async function attemptWithFaults(timers: SimTimers, attempt: Attempt): Promise<{ acked: boolean; result: string }> {
  const book = notifyFaultsFor(timers);
  const fault = book.take();
  const sent = async () => {
    const r = await attempt();
    // Whatever was held for "the next notification" goes now that one has been delivered ahead of it.
    book.releaseHeld();
    return r;
  };
  if (!fault) return sent();
  switch (fault.kind) {
    case 'drop':
      // Lost on the way: the receiver never sees it, so the provider's retry schedule has to re-send it.
      return NOT_SENT('dropped (notification fault)');
    case 'delay':
      await timers.sleep(fault.ms);
      return timers.isClosed ? NOT_SENT('simulator closed') : sent();
    case 'duplicate': {
      // The same notification (same id and bytes) arrives twice; either acknowledgement counts.
      const first = await sent();
      const second = await sent();
      return { acked: first.acked || second.acked, result: `${first.result}; duplicate: ${second.result}` };
    }
    case 'reorder':
      await book.hold(timers, fault.ms);
      // Sent after the one that overtook it; it does not release others (they wait for a fresh one).
      return timers.isClosed ? NOT_SENT('simulator closed') : attempt();
  }
}
