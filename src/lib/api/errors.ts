// Two kinds of failure, because they mean different things for money:
// - ApiError: the proxy answered with {error:{code,message}}. We know what happened.
// - NetworkError: no answer. The request may or may not have reached the proxy, so a payment request
//   must be retried with the SAME Idempotency-Key, never re-sent as a new attempt.
import type { ApiErrorBody } from '../../shared/api';
import { parseRetryAfter } from '../../shared/retry-after';
import { baseLocale, getLocale } from '../../paraglide/runtime.js';
import { m } from '../../paraglide/messages.js';

export class ApiError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status: number,
    public readonly details?: unknown,
    /** The response's Retry-After, in milliseconds. */
    public readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 5xx: the proxy may have done part of the work before failing; treat like a lost answer. */
  get outcomeUnknown(): boolean {
    return this.status >= 500;
  }

  /** How long the proxy (or a gateway in front of it) asked us to wait before sending this again — a 429,
   *  or a 503 with Retry-After — or null. Sending it sooner would only be refused again. A PIN lockout is
   *  not this: it is for the supervisor to read, not for the kiosk to wait out. */
  get throttleMs(): number | null {
    if (this.status === 429 && this.code !== 'pin_locked') return clampWait(this.retryAfterMs ?? DEFAULT_THROTTLE_MS);
    if (this.status === 503 && this.retryAfterMs !== undefined) return clampWait(this.retryAfterMs);
    return null;
  }
}

// A 429 without Retry-After still means "not now": wait a second rather than resend at once. A wait longer
// than a minute is waited a minute at a time (the proxy's own windows are a minute; a longer ask is from
// something that may have forgotten it by then, and the next answer says again).
const DEFAULT_THROTTLE_MS = 1000;
const MAX_THROTTLE_MS = 60_000;
const clampWait = (ms: number) => Math.min(MAX_THROTTLE_MS, Math.max(0, ms));

export class NetworkError extends Error {
  /** Always true: without a response we cannot know whether the request arrived. */
  readonly outcomeUnknown = true;
  constructor(
    message: string,
    public readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const err = (body as { error?: unknown }).error;
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}

/** Maps a non-2xx response (already read as text) to an ApiError, tolerating non-JSON bodies. */
export function toApiError(status: number, statusText: string, bodyText: string, retryAfter?: string | null): ApiError {
  const retryAfterMs = parseRetryAfter(retryAfter);
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isErrorBody(parsed)) {
    return new ApiError(parsed.error.code, parsed.error.message, status, parsed.error.details, retryAfterMs);
  }
  const fallback = status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : `http_${status}`;
  const text = statusText || (status >= 500 ? 'The payment server had a problem' : 'Request failed');
  return new ApiError(fallback, `${text} (HTTP ${status})`, status, undefined, retryAfterMs);
}

/**
 * The proxy's sentences are English. In another language the kiosk shows its own translation for the codes it
 * knows, and the proxy's English (which may carry specifics: amounts, wallet names) for the rest.
 */
const TRANSLATED: Record<string, () => string> = {
  invalid_pairing_code: m.apierr_invalid_pairing_code,
  invalid_pin: m.apierr_invalid_pin,
  grant_expired: m.apierr_grant_expired,
  grant_scope: m.apierr_grant_scope,
  staff_sign_in_required: m.signin_required,
  order_already_paid: m.apierr_order_already_paid,
  terminal_has_open_payment: m.apierr_terminal_has_open_payment,
  rate_limited: m.apierr_rate_limited,
  unauthorized: m.apierr_unauthorized,
};

/** A short sentence for the cashier. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return getLocale() !== baseLocale && TRANSLATED[err.code] ? TRANSLATED[err.code]() : err.message;
  if (err instanceof NetworkError) return m.apierr_network();
  if (err instanceof Error) return err.message;
  return String(err);
}
