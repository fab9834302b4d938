// Payment and refund notifications (spec §9): JSON POST to the order's notifyUrl, `sign` = platform key over
// the raw body, repeated on PayBy's schedule until a 2xx whose body contains SUCCESS (any case).
import type { KeyObject } from 'node:crypto';
import { signBody } from '../signing.ts';
import { randomDigits, type SimClock } from './clock.ts';
import type { Ledger, NotifyLog, SimOrder, SimRefund } from './ledger.ts';
import { acquireOrderView, refundOrderView } from './views.ts';

const MIN = 60_000;
/** Delay before each attempt: the first at once, then 7 retries after 2, 10, 10, 60, 120, 360, 900 minutes. */
export const DEFAULT_NOTIFY_SCHEDULE_MS = [0, 2 * MIN, 10 * MIN, 10 * MIN, 60 * MIN, 120 * MIN, 360 * MIN, 900 * MIN];

export interface Notifier {
  payment(order: SimOrder): void;
  refund(refund: SimRefund): void;
  /** Sends the order's last notification again, same notify_id and bytes (a duplicate, as PayBy may send). */
  resend(order: SimOrder): NotifyLog | undefined;
}

interface Sent {
  body: string;
  sign: string;
  url: string;
}

export function createNotifier(opts: {
  ledger: () => Ledger;
  clock: SimClock;
  platformPrivateKey: KeyObject;
  payeeMid: string;
  scheduleMs: readonly number[];
  attemptTimeoutMs?: number;
}): Notifier {
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? 10_000;
  const sent = new WeakMap<NotifyLog, Sent>();

  async function attempt(s: Sent): Promise<{ acked: boolean; result: string }> {
    try {
      const res = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=UTF-8', sign: s.sign },
        body: s.body,
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      const text = await res.text();
      return { acked: res.ok && /success/i.test(text), result: `HTTP ${res.status} ${JSON.stringify(text.slice(0, 100))}` };
    } catch (err) {
      return { acked: false, result: `error ${(err as Error).message}` };
    }
  }

  function deliver(log: NotifyLog, s: Sent): void {
    sent.set(log, s);
    const run = (i: number) => {
      const ledger = opts.ledger();
      if (i >= opts.scheduleMs.length || ledger.isClosed) return;
      ledger.after(opts.scheduleMs[i], async () => {
        log.attempts++;
        const { acked, result } = await attempt(s);
        log.lastResult = result;
        if (acked) log.delivered = true;
        else run(i + 1);
      });
    };
    run(0);
  }

  function start(kind: NotifyLog['kind'], url: string | undefined, logs: NotifyLog[], payload: Record<string, unknown>): void {
    if (!url || opts.scheduleMs.length === 0) return;
    const notifyId = new Date(opts.clock.now()).toISOString().slice(0, 10).replace(/-/g, '') + randomDigits(10);
    // Signed once: every retry repeats the same notification, which receivers de-duplicate on notify_id.
    const body = JSON.stringify({ notify_timestamp: opts.clock.now(), notify_id: notifyId, ...payload });
    const log: NotifyLog = { notifyId, kind, attempts: 0, delivered: false };
    logs.push(log);
    deliver(log, { body, sign: signBody(body, opts.platformPrivateKey), url });
  }

  return {
    payment: (o) => start('payment', o.notifyUrl, o.notifications, { acquireOrder: acquireOrderView(o, opts.payeeMid) }),
    refund: (r) => start('refund', r.notifyUrl, r.notifications, { refundOrder: refundOrderView(r) }),
    resend(o) {
      const last = o.notifications.at(-1);
      const s = last && sent.get(last);
      if (!last || !s) return undefined;
      const dup: NotifyLog = { notifyId: last.notifyId, kind: last.kind, attempts: 0, delivered: false };
      o.notifications.push(dup);
      deliver(dup, s);
      return dup;
    },
  };
}
