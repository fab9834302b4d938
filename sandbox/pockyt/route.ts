// The common shell of every Pockyt endpoint: faults, body reading, authentication, Pockyt-Request-ID
// replay, and the {ret_code, ret_msg, result} envelope. Bad input always ends as a Pockyt error, never a 500.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { applyFault } from '../common/faults.ts';
import type { SimContext } from './context.ts';
import { authenticate, fail, readFields, type Envelope, type Fields } from './protocol.ts';

export type PockytHandler = (f: Fields, req: FastifyRequest) => Envelope | Promise<Envelope>;

const REPLAY_LIMIT = 5000;

export function registerPockytRoute(
  app: FastifyInstance,
  ctx: SimContext,
  paths: { canonical: string; aliases?: string[] },
  opts: { replayable: boolean },
  handler: PockytHandler,
): void {
  // Pockyt-Request-ID (spec §11): a retried request with the same id gets the first answer, not a second
  // effect. Keyed after authentication so a forged request cannot poison the cache.
  const replays = new Map<string, { sign: string; answer: Promise<Envelope> }>();

  const run = async (req: FastifyRequest, reply: FastifyReply) => {
    const arrival = ctx.faults.arrival();
    if (await applyFault(ctx.faults.take(paths.canonical, 'before', arrival), ctx.timers, req, reply)) return reply;
    const f = readFields(req.body);
    let env: Envelope;
    if (!f) {
      env = fail('000020', 'malformed request body: send a flat JSON object or form fields with string values');
    } else {
      const denied = authenticate(f, ctx);
      const requestId = req.headers['pockyt-request-id'];
      if (denied) env = denied;
      else if (opts.replayable && typeof requestId === 'string' && requestId !== '') {
        const seen = replays.get(requestId);
        if (seen && seen.sign !== f.verifySign) {
          env = fail('000022', 'Pockyt-Request-ID was already used with different parameters');
        } else if (seen) {
          env = await seen.answer;
        } else {
          const answer = Promise.resolve(handler(f, req));
          if (replays.size >= REPLAY_LIMIT) replays.delete(replays.keys().next().value as string);
          replays.set(requestId, { sign: f.verifySign, answer });
          env = await answer;
        }
      } else {
        env = await handler(f, req);
      }
    }
    if (await applyFault(ctx.faults.take(paths.canonical, 'after', arrival), ctx.timers, req, reply)) return reply;
    return reply.code(200).send(env);
  };

  for (const p of [paths.canonical, ...(paths.aliases ?? [])]) app.post(p, run);
}
