// IPN sender (spec §10): a signed form POST to the create call's ipnUrl when a transaction reaches a final
// status, repeated until the receiver answers exactly `success`, at most once per schedule entry.
import { signFields } from '../../server/providers/pockyt/signing.ts';
import { deliverWithRetries, postOnce } from '../common/delivery.ts';
import type { SimTimers } from '../common/timers.ts';
import type { IpnLog, SimTxn } from './ledger.ts';
import { utc8Compact } from './time.ts';

/** Delay before each attempt (8 attempts, 2 h in total, like Pockyt's "up to 8 within 2 hours"). */
export const DEFAULT_IPN_SCHEDULE_MS = [0, 15_000, 60_000, 180_000, 600_000, 1_200_000, 1_800_000, 3_345_000];

export function ipnFields(t: SimTxn, token: string): Record<string, string> {
  return signFields(
    {
      transactionNo: t.transactionNo,
      status: t.status,
      amount: t.amount,
      currency: t.currency,
      settleCurrency: t.settleCurrency,
      time: utc8Compact(Date.now()),
      reference: t.reference,
      vendorId: t.vendorId,
      note: undefined,
    },
    token,
  );
}

export function createIpnSender(opts: { timers: SimTimers; token: string; scheduleMs: readonly number[]; attemptTimeoutMs?: number }) {
  const timeoutMs = opts.attemptTimeoutMs ?? 10_000;
  // Only the exact plain-text body `success` from a 2xx counts as an acknowledgement (spec §10).
  const acked = (status: number, text: string) => status >= 200 && status < 300 && text === 'success';

  return function send(t: SimTxn): void {
    if (!t.ipnUrl || opts.scheduleMs.length === 0) return;
    const url = t.ipnUrl;
    // Signed once: every retry repeats the same notification (same `time`), as a receiver de-duplicating
    // on (transactionNo, status) expects.
    const body = new URLSearchParams(ipnFields(t, opts.token)).toString();
    const log: IpnLog = { status: t.status, attempts: 0, delivered: false };
    t.ipn = log;
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    deliverWithRetries({
      timers: opts.timers,
      scheduleMs: opts.scheduleMs,
      log,
      attempt: () => postOnce(url, { headers, body, timeoutMs }, acked),
    });
  };
}
