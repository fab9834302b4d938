// What the kiosk does when the proxy says "not now" (429, or 503 with Retry-After) to anything but a payment
// (the payment flow waits those out itself: checkout/attempt-core.ts, payment-watch.ts).
//
// Sending a request again is only safe when the first one did nothing, or when doing it twice is the same as
// once:
//   - `rate_limited` is the proxy's own rate limit (server/routes/limits.ts). It refuses in an onRequest hook,
//     before the body is read, the handler runs or a PIN is looked at: nothing happened and no PIN guess was
//     counted, so the same request — the same PIN too — may go again and is checked exactly once.
//   - `pin_busy` / `pin_check_slow` (server/staff/gate.ts, 503 + Retry-After): the gate says the attempt was
//     not counted.
//   - GET/HEAD/PUT/DELETE are idempotent, and a request with an Idempotency-Key is answered once per key.
// A `pin_locked` 429 is never resent: it is the lockout after wrong PINs, for the supervisor to read (and its
// Retry-After is minutes). Anything else that says 429 — a gateway in front of the proxy with a body we do
// not know — is resent only when idempotent; otherwise the cashier gets "too many attempts, try again in N s".
import { ApiError } from './errors';

/** Waits up to this long are waited out by the kiosk itself (with a countdown on screen); longer ones are
 *  handed to the cashier, who may rather do something else than watch a till wait a minute. */
export const AUTO_WAIT_MAX_MS = 10_000;
/** Resends of one request before the cashier is told. */
export const MAX_AUTO_RESENDS = 3;

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const REFUSED_BEFORE_ACTING = new Set(['rate_limited', 'pin_busy', 'pin_check_slow']);

export interface SentRequest {
  method: string;
  headers: Record<string, string>;
}

/** True when sending `req` again cannot do anything twice nor count a PIN guess twice (see above). */
export function resendable(req: SentRequest, err: ApiError): boolean {
  if (err.code === 'pin_locked') return false;
  if (REFUSED_BEFORE_ACTING.has(err.code)) return true;
  if (IDEMPOTENT_METHODS.has(req.method.toUpperCase())) return true;
  return Object.keys(req.headers).some((h) => h.toLowerCase() === 'idempotency-key');
}

export type ThrottleStep = { resendAfterMs: number } | { refuse: ApiError } | { rethrow: true };

/** What to do after `err` on the `resends`-th resend of `req` (0 for the first answer). */
export function throttleStep(req: SentRequest, err: ApiError, resends: number): ThrottleStep {
  const wait = err.throttleMs;
  if (wait === null) return { rethrow: true };
  if (resends < MAX_AUTO_RESENDS && wait <= AUTO_WAIT_MAX_MS && resendable(req, err)) return { resendAfterMs: wait };
  // A 503 that cannot be resent keeps its own meaning (the proxy may have acted: outcome unknown).
  if (err.status !== 429) return { rethrow: true };
  return { refuse: new ApiError(err.code, tooManyMessage(wait), 429, err.details, err.retryAfterMs) };
}

export function tooManyMessage(waitMs: number): string {
  return `Too many attempts. Try again in ${Math.max(1, Math.ceil(waitMs / 1000))} s.`;
}

/** Told to the screen: until when the proxy asked us to wait, and whether the kiosk resends by itself. */
export interface ThrottleNotice {
  until: number;
  resending: boolean;
}

const listeners = new Set<(n: ThrottleNotice) => void>();

export function onThrottled(listener: (n: ThrottleNotice) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceThrottle(n: ThrottleNotice): void {
  for (const l of listeners) l(n);
}
