// The kiosks' view of the proxy during a chaos run: one paired terminal per provider's store, and one HTTP call
// that turns "no answer" (proxy dead, restarting, or too slow) into null instead of an exception, counting it.
import type { ProviderName } from '../../src/shared/payment.ts';

export interface Terminal {
  token: string;
  terminalId: string;
}

export interface ChaosContext {
  proxyUrl: () => string;
  terminals: Record<ProviderName, Terminal>;
  controls: Record<ProviderName, string>;
  /** The supervisor PIN the proxy was started with (SUPERVISOR_PIN). */
  pin: string;
  /** The load phase ends here: whatever is still unanswered is resumed afterwards. */
  deadline: number;
  /** Kiosk requests that got no HTTP answer (proxy dead or restarting). */
  noAnswer: number;
}

export interface Reply {
  status: number;
  body: any;
  /** Seconds from a 429's Retry-After header. */
  retryAfterS?: number;
}

export const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

export async function api(
  ctx: ChaosContext,
  t: Terminal,
  method: string,
  path: string,
  opts: { body?: unknown; key?: string; headers?: Record<string, string> } = {},
): Promise<Reply | null> {
  try {
    const res = await fetch(`${ctx.proxyUrl()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${t.token}`,
        ...(opts.body ? { 'content-type': 'application/json' } : {}),
        ...(opts.key ? { 'idempotency-key': opts.key } : {}),
        ...opts.headers,
      },
      body: opts.body ? JSON.stringify(opts.body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      status: res.status,
      body: text ? JSON.parse(text) : null,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}),
    };
  } catch {
    ctx.noAnswer++;
    return null; // refused, reset or timed out: the proxy is down or restarting
  }
}

/** Whether the kiosk should send the same request again: no answer, a 5xx that is not a verdict, or 429. */
export function shouldResend(r: Reply | null): boolean {
  return r === null || r.status === 429 || r.status === 500 || r.status === 503 || r.status === 504;
}

/** How long to wait before resending: a 429's Retry-After (bounded), else a short pause. */
export function resendDelayMs(r: Reply | null, deadline: number): number {
  const ms = r?.status === 429 && r.retryAfterS ? r.retryAfterS * 1000 : 300;
  return Math.max(0, Math.min(ms, deadline - Date.now()));
}
