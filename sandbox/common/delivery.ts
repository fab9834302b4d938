// Webhook/IPN delivery loop for simulators: one attempt per schedule entry (the entry is the delay before
// that attempt), stopping at the first acknowledgement. Generic over how an attempt is made and judged.
import { attemptWithFaults } from './notify-faults.ts';
import type { SimTimers } from './timers.ts';

export interface DeliveryLog {
  attempts: number;
  delivered: boolean;
  lastResult?: string;
}

export function deliverWithRetries(opts: {
  timers: SimTimers;
  scheduleMs: readonly number[];
  attempt: (n: number) => Promise<{ acked: boolean; result: string }>;
  log: DeliveryLog;
}): void {
  const run = (i: number) => {
    if (i >= opts.scheduleMs.length || opts.timers.isClosed) return;
    // Fire and forget: the attempt catches its own failures and schedules the next one itself.
    opts.timers.after(opts.scheduleMs[i], () => void attempt(i));
  };
  const attempt = async (i: number) => {
    opts.log.attempts++;
    let outcome: { acked: boolean; result: string };
    try {
      // Injected notification faults (duplicate/delay/drop/reorder) apply per attempt: see notify-faults.ts.
      outcome = await attemptWithFaults(opts.timers, () => opts.attempt(i + 1));
    } catch (err) {
      outcome = { acked: false, result: `error ${(err as Error).message}` };
    }
    opts.log.lastResult = outcome.result;
    if (outcome.acked) opts.log.delivered = true;
    else run(i + 1);
  };
  run(0);
}

/** A POST whose acknowledgement is decided by `acked(status, text)`; network errors are "not acked". */
export async function postOnce(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
  acked: (status: number, text: string) => boolean,
): Promise<{ acked: boolean; result: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
    const text = await res.text();
    return { acked: acked(res.status, text), result: `HTTP ${res.status} ${JSON.stringify(text.slice(0, 100))}` };
  } catch (err) {
    return { acked: false, result: `error ${(err as Error).message}` };
  }
}
