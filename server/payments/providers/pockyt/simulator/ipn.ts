// IPN sender (spec §10): a signed form POST to the create call's ipnUrl when a transaction reaches a final
// status, repeated until the receiver answers exactly `success`, at most once per schedule entry.
import { signFields } from '../signing.ts';
import type { IpnLog, Ledger, SimTxn } from './ledger.ts';
import { utc8Compact } from './time.ts';

/** Delay before each attempt (8 attempts, 2 h in total, like Pockyt's "up to 8 within 2 hours"). */
export const DEFAULT_IPN_SCHEDULE_MS = [0, 15_000, 60_000, 180_000, 600_000, 1_200_000, 1_800_000, 3_345_000];

export function ipnFields(t: SimTxn, token: string): Record<string, string> {
  return signFields({
    transactionNo: t.transactionNo,
    status: t.status,
    amount: t.amount,
    currency: t.currency,
    settleCurrency: t.settleCurrency,
    time: utc8Compact(Date.now()),
    reference: t.reference,
    vendorId: t.vendorId,
    note: undefined,
  }, token);
}

export function createIpnSender(opts: { ledger: () => Ledger; token: string; scheduleMs: readonly number[]; attemptTimeoutMs?: number }) {
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? 10_000;

  async function attempt(url: string, body: string): Promise<{ acked: boolean; result: string }> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      const text = await res.text();
      // Only the exact plain-text body counts as an acknowledgement (spec §10).
      return { acked: res.ok && text === 'success', result: `HTTP ${res.status} ${JSON.stringify(text.slice(0, 100))}` };
    } catch (err) {
      return { acked: false, result: `error ${(err as Error).message}` };
    }
  }

  return function send(t: SimTxn): void {
    if (!t.ipnUrl || opts.scheduleMs.length === 0) return;
    const url = t.ipnUrl;
    // Signed once: every retry repeats the same notification (same `time`), as a receiver de-duplicating
    // on (transactionNo, status) expects.
    const body = new URLSearchParams(ipnFields(t, opts.token)).toString();
    const log: IpnLog = { status: t.status, attempts: 0, delivered: false };
    t.ipn = log;
    const run = (i: number) => {
      const ledger = opts.ledger();
      if (i >= opts.scheduleMs.length || ledger.isClosed) return;
      ledger.after(opts.scheduleMs[i], async () => {
        log.attempts++;
        const { acked, result } = await attempt(url, body);
        log.lastResult = result;
        if (acked) log.delivered = true;
        else run(i + 1);
      });
    };
    run(0);
  };
}
