// The common shell of every Centrapay API route: X-Api-Key, the per-account rate limit, faults, and the
// JSON answer. Bad input always ends as a Centrapay error body (§8), never a 500.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { applyFault } from '../common/faults.ts';
import type { SimContext } from './context.ts';
import { errorBody, type Answer } from './protocol.ts';

export type ApiHandler = (req: FastifyRequest, origin: string) => Answer | Promise<Answer>;

function keyMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function origin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

export function registerApiRoute(
  app: FastifyInstance,
  ctx: SimContext,
  method: 'GET' | 'POST',
  path: string,
  handler: ApiHandler,
  opts: { public?: boolean } = {},
): void {
  const run = async (req: FastifyRequest, reply: FastifyReply) => {
    const arrival = ctx.faults.arrival();
    // A public route (the pay page's summary) takes no key and does not count against the account's limit.
    if (!opts.public) {
      const refused = admit(ctx, req, reply);
      if (refused) return refused;
    }
    if (await applyFault(ctx.faults.take(path, 'before', arrival), ctx.timers, req, reply)) return reply;
    const answer = await handler(req, origin(req));
    if (await applyFault(ctx.faults.take(path, 'after', arrival), ctx.timers, req, reply)) return reply;
    return reply.code(answer.status).send(answer.body);
  };
  if (method === 'GET') app.get(path, run);
  else app.post(path, run);
}

/** X-Api-Key and the per-account rate limit; the refusal already sent, or null when the call may go on. */
function admit(ctx: SimContext, req: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  const key = req.headers['x-api-key'];
  if (key === undefined || key === '') return reply.code(401).send(errorBody(401, 'Missing authentication'));
  // Simulator choice: an unknown key is also 401 (not 403, which clients read as "no such request").
  if (!keyMatches(key, ctx.apiKey)) return reply.code(401).send(errorBody(401, 'Missing authentication', 'API key not recognised'));
  const limit = ctx.limiter.take(ctx.accountId);
  if (!limit.ok) {
    return reply
      .code(429)
      .header('retry-after', String(limit.retryAfterSec))
      .send(
        errorBody(
          429,
          'RATE_LIMIT_EXCEEDED',
          `more than the allowed requests per minute for this account; retry in ${limit.retryAfterSec} s`,
        ),
      );
  }
  return null;
}
