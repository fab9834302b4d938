// Operational endpoints beside /healthz (liveness): GET /readyz (readiness, server/ops/readiness.ts) and
// GET /metrics (Prometheus, server/ops/metrics.ts).
// Access: /readyz is open like /healthz — load balancers probe it from their own addresses, and it says only
// which check failed. /metrics tells anyone who can read it how much a chain sells and through whom, so it is
// never public: with METRICS_TOKEN set it needs `Authorization: Bearer <token>`; without, it answers only
// requests from this machine that no proxy forwarded (a reverse proxy on the same host would otherwise make
// every internet request look local).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ApiErrorBody } from '../../src/shared/api-schemas.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Readiness } from '../ops/readiness.ts';
import { errorBody } from './errors.ts';

export interface OpsOptions {
  metrics: Metrics;
  readiness(): Promise<Readiness>;
  /** Config METRICS_TOKEN. */
  metricsToken: string | null;
}

const Check = Type.Object({
  ok: Type.Boolean(),
  ms: Type.Optional(Type.Number()),
  error: Type.Optional(Type.String()),
  pending: Type.Optional(Type.Array(Type.String())),
  unknown: Type.Optional(Type.Array(Type.String())),
});
const ReadyBody = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Object({ database: Check, migrations: Check, listener: Type.Optional(Check) }),
});

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

function fromThisMachine(request: FastifyRequest): boolean {
  const addr = request.socket.remoteAddress ?? '';
  const loopback = addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
  return loopback && FORWARDING_HEADERS.every((h) => request.headers[h] === undefined);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of the presented bearer token with ours. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1]), digest(token));
}

export const opsRoutes: FastifyPluginAsyncTypebox<OpsOptions> = async (app, opts) => {
  app.get('/readyz', { schema: { response: { 200: ReadyBody, 503: ReadyBody } } }, async (_request, reply) => {
    const r = await opts.readiness();
    return reply
      .status(r.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(r);
  });

  app.get('/metrics', { schema: { response: { 200: Type.String(), 401: ApiErrorBody, 403: ApiErrorBody } } }, async (request, reply) => {
    if (opts.metricsToken !== null) {
      if (!bearerMatches(request.headers.authorization, opts.metricsToken)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send(errorBody('unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.'));
      }
    } else if (!fromThisMachine(request)) {
      return reply
        .status(403)
        .send(errorBody('forbidden', 'GET /metrics answers this machine only; set METRICS_TOKEN to scrape it from elsewhere.'));
    }
    const { contentType, body } = await opts.metrics.scrape();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
};
