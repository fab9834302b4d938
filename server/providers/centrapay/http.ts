// Centrapay JSON calls with `X-Api-Key` (spec §2, §8). Classifies the answer for money safety:
// 2xx → the body; 400/403 with a business code → returned for the adapter to judge; 401/404/429/5xx and
// unreadable answers → ProviderError. POSTs are never retried here (create has no idempotency, §9);
// GETs get a small retry that honours Retry-After.
import { parseRetryAfter, sendHttp, type HttpObserver } from '../http.ts';
import { ProviderError } from '../types.ts';

export interface CentrapayCallOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  observer?: HttpObserver;
}

export type CentrapayAnswer =
  | { ok: true; status: number; body: Record<string, unknown> }
  /** A refusal with Centrapay's error body: `message` is the code to branch on (`reason` is for humans). */
  | { ok: false; status: 400 | 403; code: string; reason?: string; body: unknown };

/** The longest Retry-After a GET waits out itself; longer, and the caller (poller backoff) decides. */
export const MAX_RETRY_WAIT_MS = 5_000;

/** `GET /api/payment-requests/{id}/activities`: the path with its ids replaced, a metrics label. */
export function routeOf(method: string, path: string): string {
  const route = path.split('?')[0].replace(/^(\/api\/payment-requests\/)(external-ref\/)?[^/]+/, '$1$2{id}');
  return `${method} ${route}`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function centrapayCall(
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  opts: CentrapayCallOptions,
): Promise<CentrapayAnswer> {
  const mayMoveMoney = method === 'POST';
  const headers: Record<string, string> = { 'x-api-key': opts.apiKey, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await sendHttp({
    provider: 'centrapay',
    url: opts.baseUrl.replace(/\/+$/, '') + path,
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: opts.timeoutMs,
    mayMoveMoney,
    route: routeOf(method, path),
    observer: opts.observer,
  });
  const json = parse(res.text);
  const raw = json ?? res.text.slice(0, 500);
  const what = `${method} ${path.split('?')[0]}`;

  if (res.status === 429) {
    // Throttled before processing (§8): nothing happened, and Centrapay says when to come back.
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after')) ?? 1000;
    throw new ProviderError('centrapay_rate_limited', `Centrapay ${what}: rate limit exceeded, retry after ${retryAfterMs} ms`, {
      outcomeUnknown: false,
      retryAfterMs,
      raw,
    });
  }
  if (res.status >= 500) {
    throw new ProviderError('centrapay_http_5xx', `Centrapay ${what} answered HTTP ${res.status}`, { outcomeUnknown: mayMoveMoney, raw });
  }
  if (res.status === 401) {
    throw new ProviderError('centrapay_unauthorized', `Centrapay ${what}: API key missing or not accepted (check CENTRAPAY_API_KEY)`, {
      outcomeUnknown: false,
      raw,
    });
  }
  if (res.status >= 200 && res.status < 300) {
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw new ProviderError('centrapay_bad_response', `Centrapay ${what} answered something that is not a JSON object`, {
        outcomeUnknown: mayMoveMoney,
        raw,
      });
    }
    return { ok: true, status: res.status, body: json as Record<string, unknown> };
  }
  if (res.status === 400 || res.status === 403) {
    const e = (json && typeof json === 'object' ? json : {}) as { message?: unknown; reason?: unknown };
    return {
      ok: false,
      status: res.status,
      code: typeof e.message === 'string' ? e.message : '',
      body: raw,
      reason: typeof e.reason === 'string' ? e.reason : undefined,
    };
  }
  // 404 = unknown route (wrong base URL); anything else is unexpected. The gateway refused: nothing processed.
  throw new ProviderError(`centrapay_http_${res.status}`, `Centrapay ${what} answered HTTP ${res.status} (check CENTRAPAY_BASE_URL)`, {
    outcomeUnknown: false,
    raw,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A GET (reads only) with a small retry: 429 waits out Retry-After (up to MAX_RETRY_WAIT_MS), a 5xx or
 *  network error is tried once more after a short pause (spec §11 "retry any unknown error at least once"). */
export async function centrapayGet(path: string, opts: CentrapayCallOptions, attempts = 3): Promise<CentrapayAnswer> {
  let transientRetried = false;
  for (let i = 1; ; i++) {
    try {
      return await centrapayCall('GET', path, undefined, opts);
    } catch (err) {
      if (!(err instanceof ProviderError) || i >= attempts) throw err;
      if (err.code === 'centrapay_rate_limited') {
        if ((err.retryAfterMs ?? 0) > MAX_RETRY_WAIT_MS) throw err;
        await sleep(err.retryAfterMs ?? 1000);
      } else if (!transientRetried && /_(http_5xx|network|timeout|bad_response)$/.test(err.code)) {
        transientRetried = true;
        await sleep(200);
      } else {
        throw err;
      }
    }
  }
}
