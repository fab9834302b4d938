// The common shell of every PayBy endpoint (spec §2–§3, §13): faults, Partner-Id, our `sign` over the raw
// body, the envelope, the ±15 min requestTime window, and PayBy's own `sign` on every answer except the
// documented unsigned codes. Bad input always ends as a PayBy envelope, never a 500.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { applyFault, isCommonKind } from '../common/faults.ts';
import { signatureRequired, signBody, verifyBody } from '../../server/providers/payby/signing.ts';
import { API_BASE, type SimContext } from './context.ts';
import type { Fault } from './faults.ts';
import { STRANGER_PRIVATE_KEY_FILE } from './keys.ts';
import { fail, failNamed, isReply, obj, parseRequestTime, signError, type Obj, type Reply } from './protocol.ts';

export type PayByHandler = (biz: Obj, meta: { requestTime: number; req: FastifyRequest }) => Reply | Promise<Reply>;

const WINDOW_MS = 15 * 60_000;
let strangerKey: KeyObject | undefined;

/** Reads our request exactly as PayBy would; returns the bizContent or the refusal. */
function admit(ctx: SimContext, req: FastifyRequest): { biz: Obj; requestTime: number } | Reply {
  const partnerId = req.headers['partner-id'];
  if (typeof partnerId !== 'string' || partnerId === '') return fail('400', 'Partner-Id header is required');
  if (partnerId !== ctx.partnerId) return fail('403', `Partner-Id ${partnerId} is not known`);
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const sign = req.headers.sign;
  if (typeof sign !== 'string' || sign === '') return signError('sign header is missing');
  // Over the bytes as received: any re-serialisation on either side breaks this, as at PayBy.
  if (!verifyBody(raw, sign, ctx.merchantPublicKey)) return signError('signature does not verify with the merchant public key');
  let parsed: Obj | undefined;
  try {
    parsed = obj(JSON.parse(raw.toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed) return fail('400', 'body must be a JSON object {requestTime, bizContent}');
  // A `partnerId` body field (PayBy's PHP SDK adds one) is not part of the documented envelope: ignored.
  const requestTime = parseRequestTime(parsed.requestTime);
  const biz = obj(parsed.bizContent);
  if (requestTime === null) return fail('400', 'requestTime must be epoch milliseconds or an RFC 3339 time');
  if (!biz) return fail('400', 'bizContent must be a JSON object');
  const now = ctx.clock.now();
  if (requestTime < now - WINDOW_MS) return failNamed('400', 'REQUESTTIME_TOO_EARLY');
  if (requestTime > now + WINDOW_MS) return failNamed('400', 'REQUESTTIME_TOO_LATER');
  return { biz, requestTime };
}

function tampered(text: string): string {
  const env = JSON.parse(text) as Obj;
  const order = obj(obj(env.body)?.acquireOrder);
  // The attack that matters: an unpaid order made to look paid.
  if (order) order.status = order.status === 'PAID_SUCCESS' ? 'FAILURE' : 'PAID_SUCCESS';
  else env.head = { ...obj(env.head), msg: 'TAMPERED' };
  return JSON.stringify(env);
}

async function send(ctx: SimContext, reply: FastifyReply, env: Reply, damage?: Fault): Promise<FastifyReply> {
  let text = JSON.stringify(env);
  let sign = signatureRequired(env.head.code) ? signBody(text, ctx.platformPrivateKey) : undefined;
  if (damage?.kind === 'tamper') text = tampered(text);
  if (damage?.kind === 'strip_sign') sign = undefined;
  if (damage?.kind === 'wrong_key') {
    strangerKey ??= createPrivateKey(readFileSync(STRANGER_PRIVATE_KEY_FILE, 'utf8'));
    sign = signBody(text, strangerKey);
  }
  reply.code(200).type('application/json; charset=UTF-8');
  if (sign) reply.header('sign', sign);
  return reply.send(text);
}

/** Returns true when the fault consumed the request (nothing more may be sent). */
async function disrupt(ctx: SimContext, fault: Fault | undefined, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (!fault) return false;
  const { kind } = fault;
  if (isCommonKind(kind)) return applyFault({ kind, ms: fault.ms }, ctx.timers, req, reply);
  if (kind === 'code') {
    await send(ctx, reply, fail(fault.code!, 'injected fault'));
    return true;
  }
  // tamper, strip_sign and wrong_key damage the answer itself: send() applies them.
  return false;
}

export function registerPayByRoute(app: FastifyInstance, ctx: SimContext, path: string, handler: PayByHandler): void {
  app.post(API_BASE + path, async (req, reply) => {
    const arrival = ctx.faults.arrival();
    if (await disrupt(ctx, ctx.faults.take(path, 'before', arrival), req, reply)) return reply;
    const admitted = admit(ctx, req);
    const env = isReply(admitted) ? admitted : await handler(admitted.biz, { requestTime: admitted.requestTime, req });
    const after = ctx.faults.take(path, 'after', arrival);
    if (await disrupt(ctx, after, req, reply)) return reply;
    return send(ctx, reply, env, after);
  });
}
