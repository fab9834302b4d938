// One HTTP exchange with a provider, classified for money safety. Generic over providers: the caller says
// whether the request can move money, and the answer says whether a failure left the outcome unknown. No
// retries here: whether a retry is safe depends on the operation. Every exchange is reported to the app's
// observer (metrics), if it passed one in through the provider host.
import { ProviderError } from './types.ts';

export interface HttpExchange {
  status: number;
  text: string;
  /** The body exactly as received: response signatures cover these bytes, not a re-encoding of `text`. */
  bytes: Buffer;
  headers: Headers;
}

/** How one exchange went, for the app's metrics (server/ops/metrics.ts). */
export interface HttpObservation {
  provider: string;
  /** The endpoint without ids (metrics are labelled with it, so it must take few values). */
  route: string;
  seconds: number;
  /** The HTTP status when an answer came. */
  status?: number;
  /** How it failed when no answer came. */
  failure?: 'timeout' | 'network' | 'unreachable';
}

/** Told about every exchange. Passed in by the app through the provider host; providers hand it on untouched. */
export interface HttpObserver {
  exchanged(o: HttpObservation): void;
}

export interface SendOptions {
  /** Error-code prefix: the provider's name, e.g. '<name>_timeout'. */
  provider: string;
  /** How messages name the provider (its label); default `provider`. */
  label?: string;
  /** How messages name the request (e.g. the API path); default `METHOD pathname`. */
  operation?: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** false for reads: a lost answer to a GET cannot have moved money. */
  mayMoveMoney: boolean;
  /** The endpoint without ids, for metrics; default `operation`. Needed where the path carries ids. */
  route?: string;
  observer?: HttpObserver;
}

// Errors raised before a single byte reached the server: the request certainly did nothing.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Every `code` on an error and its causes (undici nests them: TypeError → cause → AggregateError.errors). */
export function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 4) return;
    const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof o.code === 'string') codes.push(o.code);
    if (Array.isArray(o.errors)) o.errors.forEach((x) => visit(x, depth + 1));
    visit(o.cause, depth + 1);
  };
  visit(err, 0);
  return codes;
}

/** true when the request provably never left this process (connection refused, bad host, "bad port"). */
export function neverSent(err: unknown): boolean {
  // undici refuses "bad ports" (fetch spec) before connecting.
  return errorCodes(err).some((c) => NOT_SENT.has(c)) || (err as { cause?: Error }).cause?.message === 'bad port';
}

export { parseRetryAfter } from '../../src/shared/retry-after.ts';

export async function sendHttp(opts: SendOptions): Promise<HttpExchange> {
  const label = opts.label ?? opts.provider;
  // With an operation name there is no need to parse the URL here: fetch then rejects a bad one itself,
  // as ERR_INVALID_URL, which neverSent() counts as "never sent" (same code, same money outcome).
  let what = opts.operation;
  if (what === undefined) {
    try {
      what = `${opts.method} ${new URL(opts.url).pathname}`;
    } catch (err) {
      throw new ProviderError(`${opts.provider}_unreachable`, `${label}: invalid URL ${JSON.stringify(opts.url)}`, {
        outcomeUnknown: false,
        cause: err,
      });
    }
  }
  const route = opts.route ?? what;
  const started = performance.now();
  const observe = (o: Pick<HttpObservation, 'status' | 'failure'>) => {
    try {
      opts.observer?.exchanged({ provider: opts.provider, route, seconds: (performance.now() - started) / 1000, ...o });
    } catch {
      // Metrics must never change a payment's outcome.
    }
  };
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs);
  try {
    const res = await fetch(opts.url, { method: opts.method, headers: opts.headers, body: opts.body, signal: ctrl.signal });
    const bytes = Buffer.from(await res.arrayBuffer());
    observe({ status: res.status });
    // TextDecoder is what res.text() uses: UTF-8, a leading BOM dropped, bad bytes replaced.
    return { status: res.status, text: new TextDecoder().decode(bytes), bytes, headers: res.headers };
  } catch (err) {
    if (ctrl.signal.aborted) {
      observe({ failure: 'timeout' });
      throw new ProviderError(`${opts.provider}_timeout`, `${label} did not answer ${what} within ${opts.timeoutMs} ms`, {
        outcomeUnknown: opts.mayMoveMoney,
        cause: err,
      });
    }
    const notSent = neverSent(err);
    observe({ failure: notSent ? 'unreachable' : 'network' });
    throw new ProviderError(
      `${opts.provider}_${notSent ? 'unreachable' : 'network'}`,
      `${label} ${what} failed: ${errorCodes(err)[0] ?? (err as Error).message}`,
      { outcomeUnknown: opts.mayMoveMoney && !notSent, cause: err },
    );
  } finally {
    clearTimeout(timer);
  }
}
