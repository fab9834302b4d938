// Payment and refund notifications (spec §9): JSON POST to the order's notifyUrl, `sign` = platform key over
// the raw body, repeated on PayBy's schedule until a 2xx whose body contains SUCCESS (any case).
import type { KeyObject } from 'node:crypto';
import { signBody } from '../../server/providers/payby/signing.ts';
import { deliverWithRetries, postOnce } from '../common/delivery.ts';
import { randomDigits } from '../common/random.ts';
import type { SimTimers } from '../common/timers.ts';
import type { SimClock } from './clock.ts';
import type { NotifyLog, SimOrder, SimRefund } from './ledger.ts';
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
  timers: SimTimers;
  clock: SimClock;
  platformPrivateKey: KeyObject;
  payeeMid: string;
  scheduleMs: readonly number[];
  attemptTimeoutMs?: number;
}): Notifier {
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? 10_000;
  const sent = new WeakMap<NotifyLog, Sent>();

  // PayBy counts any 2xx whose body says SUCCESS, in any case, as received (spec §9).
  const acked = (status: number, text: string) => status >= 200 && status < 300 && /success/i.test(text);

  function deliver(log: NotifyLog, s: Sent): void {
    sent.set(log, s);
    const init = {
      headers: { 'content-type': 'application/json; charset=UTF-8', sign: s.sign },
      body: s.body,
      timeoutMs: attemptTimeoutMs,
    };
    deliverWithRetries({ timers: opts.timers, scheduleMs: opts.scheduleMs, log, attempt: () => postOnce(s.url, init, acked) });
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
