// Webhooks (spec §10): `payment-request:paid`, `…:refund-initiated`, `…:refund-completed`, each a JSON
// envelope {id, type, accountId, test, createdAt, data = Payment Activity} POSTed to the subscribed URL
// with an ES256 JWT in `Authorization` (bare token: the docs say "a JWT through the Authorization header").
// Any 2xx acknowledges; otherwise retried with exponential backoff for up to two weeks.
import { deliverWithRetries, postOnce } from '../common/delivery.ts';
import { randomChars } from '../common/random.ts';
import type { SimContext } from './context.ts';
import { signNotificationJwt } from './sign.ts';
import type { NotificationLog, SimActivity, SimRequest } from './ledger.ts';
import { activityView } from './views.ts';

export interface WebhookTarget {
  url: string;
  /** JWT `aud`. Default: the URL's origin ("the base URL of your Webhook"). */
  audience?: string;
}

/** Delay before each attempt: at once, then doubling from 30 s, capped at 48 h, until two weeks are used. */
export function twoWeekSchedule(): number[] {
  const out = [0];
  let total = 0;
  for (let d = 30_000; total + d <= 14 * 86_400_000; d = Math.min(d * 2, 48 * 3_600_000)) {
    out.push(d);
    total += d;
  }
  return out;
}

export const DEFAULT_NOTIFY_SCHEDULE_MS = twoWeekSchedule();

export function createNotifier(opts: { ctx: () => SimContext; scheduleMs: readonly number[]; attemptTimeoutMs?: number }) {
  function send(r: SimRequest, type: string, a: SimActivity): void {
    const ctx = opts.ctx();
    const target = ctx.webhook.current;
    if (!target || opts.scheduleMs.length === 0) return;
    const id = `ntf_${randomChars(22)}`;
    // Serialised once: every retry carries the same bytes, so the receiver can dedupe on `id` and the
    // body hash in each fresh token still matches.
    const body = JSON.stringify({
      id,
      type,
      accountId: ctx.accountId,
      test: true,
      createdAt: new Date().toISOString(),
      data: activityView(r, a, ctx),
    });
    const log: NotificationLog = { id, type, attempts: 0, delivered: false };
    r.notifications.push(log);
    const audience = target.audience ?? new URL(target.url).origin;
    deliverWithRetries({
      timers: ctx.timers,
      scheduleMs: opts.scheduleMs,
      log,
      // A token lives 300 s and retries span weeks: each attempt is signed afresh.
      attempt: async () =>
        postOnce(
          target.url,
          {
            headers: {
              'content-type': 'application/json',
              authorization: await signNotificationJwt({ privateKey: ctx.signer.privateKey, kid: ctx.signer.kid, audience, body }),
            },
            body,
            timeoutMs: opts.attemptTimeoutMs ?? 10_000,
          },
          (status) => status >= 200 && status < 300,
        ),
    });
  }

  return function onActivity(r: SimRequest, a: SimActivity): void {
    if (a.type === 'paid') send(r, 'payment-request:paid', a);
    if (a.type === 'refund') {
      send(r, 'payment-request:refund-initiated', a);
      // Refunds complete asynchronously (§5.8).
      opts.ctx().timers.after(opts.ctx().pendingMs, () => send(r, 'payment-request:refund-completed', a));
    }
  };
}
