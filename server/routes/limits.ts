// Request-rate limits (issue 9; numbers and reasons in server/config/limits.ts), every route's in this one
// file. @fastify/rate-limit keeps the counters; the routes are matched here as they are registered:
//   POST /api/terminals/pair   per client address, then for the whole server (pairing codes can be guessed)
//   every other /api route     per terminal, keyed by the terminal the bearer token proved (auth runs first)
//   + PIN-protected routes     per terminal again, tighter: any route whose header schema has X-Staff-Pin
//   POST /webhooks/:provider   per provider (providers retry a 429 later; the reconciler polls meanwhile)
// A refused request gets 429 with Retry-After and the usual error body, code `rate_limited`.
//
// The counters live in this process's memory: a restart clears them and two proxies count apart. A later
// issue moves shared state to Postgres; @fastify/rate-limit takes a custom `store` for that.
// Behind a reverse proxy every client has the proxy's address (no trustProxy is configured), so the
// per-address pairing limit then acts as a second global one.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { LimitSettings, RateLimit } from '../config/limits.ts';
import { ApiError } from '../payments/api-error.ts';
import { providerModule } from '../providers/registry.ts';

type Check = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
type RouteClass = 'pairing' | 'api' | 'pin' | 'webhooks';

const PAIR_URL = '/api/terminals/pair';

function isPinProtected(route: RouteOptions): boolean {
  const headers = route.schema?.headers as { properties?: Record<string, unknown> } | undefined;
  return headers?.properties?.['x-staff-pin'] !== undefined;
}

function classify(route: RouteOptions): RouteClass[] {
  const url = route.url;
  if (url === PAIR_URL) return ['pairing'];
  if (url.startsWith('/api/')) return isPinProtected(route) ? ['api', 'pin'] : ['api'];
  if (url.startsWith('/webhooks/')) return ['webhooks'];
  return [];
}

/** The authenticated terminal; an /api route without auth (none today but pairing) counts per address. */
const terminalKey = (request: FastifyRequest) => (request.terminal ? `t:${request.terminal.id}` : `ip:${request.ip}`);

function providerKey(request: FastifyRequest): string {
  const name = (request.params as { provider?: unknown } | undefined)?.provider;
  // Unknown names share one counter: a flood of made-up names cannot grow the table.
  return typeof name === 'string' && providerModule(name) ? name : '(unknown)';
}

export async function installRateLimits(app: FastifyInstance, limits: LimitSettings): Promise<void> {
  // global: false — the plugin only keeps the counters; the routes get their limits below.
  await app.register(rateLimit, { global: false, cache: 10_000 });

  function limiter(
    limit: RateLimit,
    keyOf: (request: FastifyRequest) => string,
    refusal: (seconds: number) => ApiError,
    onRefused?: (request: FastifyRequest) => void,
  ): Check {
    const take = app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: keyOf });
    return async (request, reply) => {
      const r = await take(request);
      if (r.isAllowed || !r.isExceeded) return;
      const seconds = Math.max(1, r.ttlInSeconds);
      onRefused?.(request);
      reply.header('retry-after', String(seconds));
      throw refusal(seconds);
    };
  }
  const refused = (message: string) => (seconds: number) =>
    new ApiError(429, 'rate_limited', message.replace('%s', `${seconds} s`), { retryAfterSeconds: seconds });

  const checks: Record<RouteClass, Check[]> = {
    pairing: [
      // Per address first: one guesser's refused attempts do not use up everyone's global allowance.
      limiter(limits.pairing.perIp, (r) => r.ip, refused('Too many pairing attempts from this address. Try again in %s.')),
      limiter(limits.pairing.global, () => 'all', refused('Too many pairing attempts on this server. Try again in %s.')),
    ],
    api: [limiter(limits.api, terminalKey, refused('This tablet is sending too many requests. Try again in %s.'))],
    pin: [limiter(limits.pin, terminalKey, refused('Too many staff PIN requests from this tablet. Try again in %s.'))],
    webhooks: [
      limiter(limits.webhooks, providerKey, refused('Too many notifications right now; send it again in %s.'), (request) => {
        // Not silent: the provider sends it again later, and this line says why it came late.
        request.log.warn({ provider: providerKey(request) }, 'webhook refused by the rate limit');
      }),
    ],
  };
  const seen = new Set<RouteClass>();

  app.addHook('onRoute', (route) => {
    const classes = classify(route);
    if (classes.length === 0) return;
    for (const c of classes) seen.add(c);
    // Route-level onRequest hooks run after the encapsulating plugin's, i.e. after terminal auth, and before
    // the body is read.
    const current = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...current, ...classes.flatMap((c) => checks[c])];
  });

  // A renamed route would silently lose its limit: refuse to start instead.
  app.addHook('onReady', async () => {
    const missing = (Object.keys(checks) as RouteClass[]).filter((c) => !seen.has(c));
    if (missing.length) throw new Error(`rate limits matched no route for: ${missing.join(', ')} (server/routes/limits.ts)`);
  });
}
