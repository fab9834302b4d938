// /acquire2/*: placeOrder (QRPAY, DYNQR), getOrder, cancelOrder, revokeOrder, updateExpiredTime (spec §5, §7, §10).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from './context.ts';
import type { SimOrder } from './ledger.ts';
import { canonical, checkUrl, fail, isOrderNo, isReply, money, obj, ok, oneOf, parseMoney, type Obj, type Reply } from './protocol.ts';
import { registerPayByRoute } from './route.ts';
import { AUTH_CODE_SHAPE, scenarioFor } from './scenarios.ts';
import { acquireOrderView } from './views.ts';

const PAY_SCENES = ['PAYPAGE', 'INAPP', 'EWALLET', 'DYNQR', 'QRPAY', 'JSAPI', 'AUTODEBIT', 'DIRECTPAY', 'CASHTOPUP', 'PAYANDSIGN', 'FACE'];
const HOUR = 3_600_000;

export function orderBody(ctx: SimContext, o: SimOrder, origin?: string): Obj {
  const body: Obj = { acquireOrder: acquireOrderView(o, ctx.partnerId) };
  // Only while CREATED (§5.1); spelt as in PayBy's response examples — the adapter accepts both spellings.
  if (o.status === 'CREATED' && o.token && origin && (o.tokenExpiresAt ?? 0) > ctx.clock.now()) {
    body.interActionParams = { tokenUrl: `${origin}${ctx.prefix}/pay/${o.token}` };
  }
  return body;
}

function origin(req: FastifyRequest, ctx: SimContext): string {
  return (ctx.payUrlBase ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
}

const ECHOED = ['accessoryContent', 'deviceId', 'secondaryMerchantId', 'subjectAr'];

/** PayBy answers Money as `{currency, amount: <number>}` even where the PHP SDK sent "0.3". */
function numericMoney(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(numericMoney);
  const o = obj(v);
  if (!o) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(o)) out[k] = numericMoney(x);
  if (typeof o.currency === 'string' && typeof o.amount === 'string' && /^\d{1,12}(\.\d{1,2})?$/.test(o.amount))
    out.amount = Number(o.amount);
  return out;
}

function echoed(biz: Obj): Obj {
  const out: Obj = {};
  for (const k of ECHOED) if (biz[k] !== undefined) out[k] = numericMoney(biz[k]);
  return out;
}

/** Validates a placeOrder bizContent; returns the cleaned fields or PayBy's refusal. */
function readPlaceOrder(
  biz: Obj,
  requestTime: number,
): Reply | (Omit<SimOrder, 'orderNo' | 'status' | 'revoked' | 'declinedAttempts' | 'refunds' | 'notifications'> & { authCode?: string }) {
  if (!isOrderNo(biz.merchantOrderNo)) return fail('400', 'merchantOrderNo must be 1–64 letters, digits, - or _');
  if (typeof biz.subject !== 'string' || biz.subject.trim() === '' || biz.subject.length > 12)
    return fail('400', 'subject is required, at most 12 characters');
  const minor = parseMoney(biz.totalAmount, 'totalAmount');
  if (isReply(minor)) return minor;
  const scene = biz.paySceneCode;
  if (typeof scene !== 'string' || !PAY_SCENES.includes(scene)) return fail('62012');
  if (scene !== 'QRPAY' && scene !== 'DYNQR') return fail('62026', `${scene} is not enabled for this simulated merchant`);
  if (biz.paySceneParams !== undefined && !obj(biz.paySceneParams)) return fail('400', 'paySceneParams must be an object');
  const params = obj(biz.paySceneParams) ?? {};
  const authCode = params.authCode;
  if (scene === 'QRPAY' && (typeof authCode !== 'string' || authCode === '')) return fail('62033');
  if (scene === 'DYNQR' && params.oneTimePayment !== undefined && params.oneTimePayment !== 'true' && params.oneTimePayment !== 'false')
    return fail('62073');
  let expiredTime = requestTime + 2 * HOUR;
  if (biz.expiredTime !== undefined) {
    if (typeof biz.expiredTime !== 'number' || !Number.isInteger(biz.expiredTime))
      return fail('400', 'expiredTime must be epoch milliseconds');
    if (biz.expiredTime <= requestTime) return fail('62008');
    if (biz.expiredTime > requestTime + 48 * HOUR) return fail('62009');
    expiredTime = biz.expiredTime;
  }
  const badUrl = checkUrl(biz.notifyUrl, 'notifyUrl');
  if (badUrl) return badUrl;
  if (biz.reserved !== undefined && (typeof biz.reserved !== 'string' || biz.reserved.length > 200))
    return fail('400', 'reserved must be at most 200 characters');
  return {
    merchantOrderNo: biz.merchantOrderNo,
    subject: biz.subject,
    amountMinor: minor,
    paySceneCode: scene,
    paySceneParams: params,
    requestTime,
    expiredTime,
    notifyUrl: biz.notifyUrl as string | undefined,
    reserved: biz.reserved,
    echo: echoed(biz),
    // Compared as amounts, not spellings: 12.3 and "12.30" are the same order.
    fingerprint: canonical({ ...biz, totalAmount: money(minor) }),
    authCode: typeof authCode === 'string' ? authCode : undefined,
  };
}

/** QRPAY: the customer's code decides (scenarios.ts; wallet-issued codes wait for the wallet page). */
async function charge(ctx: SimContext, order: SimOrder, code: string): Promise<void> {
  const { ledger } = ctx;
  const decline = (failDes: string, failCode = '92004') => void ledger.setStatus(order, 'FAILURE', { failCode, failDes });
  if (!AUTH_CODE_SHAPE.test(code)) return decline('AUTHCODE_INVALID');
  const wallet = ledger.authCode(code);
  if (wallet) {
    const state = ledger.codeState(wallet);
    if (state === 'used') return decline('AUTHCODE_USED');
    if (state === 'expired') return decline('AUTHCODE_EXPIRED');
    wallet.orderNo = order.orderNo;
    return;
  }
  switch (scenarioFor(code)) {
    case 'success':
      ledger.setStatus(order, 'PAID_SUCCESS');
      return;
    case 'password':
      ctx.timers.after(ctx.pendingMs, () => ledger.setStatus(order, 'PAID_SUCCESS'));
      return;
    case 'reject':
      return decline('RISK_REJECTED', '92000');
    case 'slow':
      // Committed first, answered late: the client times out on a payment that did succeed.
      ledger.setStatus(order, 'PAID_SUCCESS');
      await ctx.timers.sleep(ctx.slowMs);
      return;
    default:
  }
}

async function placeOrder(ctx: SimContext, biz: Obj, requestTime: number, req: FastifyRequest): Promise<Reply> {
  const fields = readPlaceOrder(biz, requestTime);
  if (isReply(fields)) return fields;
  const { ledger } = ctx;
  const existing = ledger.find({ merchantOrderNo: fields.merchantOrderNo });
  if (existing) {
    // Idempotent on merchantOrderNo (§10): same parameters → the order as it is now; the first requestTime stays.
    if (existing.fingerprint === fields.fingerprint) return ok(orderBody(ctx, existing, origin(req, ctx)));
    if (existing.status === 'PAID_SUCCESS') return fail('62001');
    if (existing.status === 'SETTLED') return fail('62003');
    if (existing.status === 'FAILURE') return fail('62002');
    return fail('62016');
  }
  const { authCode, ...rest } = fields;
  const dynqr = rest.paySceneCode === 'DYNQR';
  const order = ledger.create({
    ...rest,
    ...(dynqr ? { token: randomBytes(16).toString('base64url'), tokenExpiresAt: ctx.clock.now() + ctx.tokenTtlMs } : {}),
  });
  if (!dynqr) await charge(ctx, order, authCode!);
  return ok(orderBody(ctx, order, origin(req, ctx)));
}

function lookup(ctx: SimContext, biz: Obj): SimOrder | Reply {
  const id = oneOf(biz, 'merchantOrderNo', 'orderNo');
  if (isReply(id)) return id;
  return ctx.ledger.find(id) ?? fail(id.orderNo !== undefined ? '62035' : '62004');
}

const FINAL_CODES: Record<string, string> = { PAID_SUCCESS: '62001', FAILURE: '62002', SETTLED: '62003' };

function revoke(ctx: SimContext, o: SimOrder): Reply {
  const { ledger } = ctx;
  if (!o.revoked) {
    if (o.status === 'PAID_SUCCESS' || o.status === 'SETTLED') {
      if (ledger.refundedMinor(o) > 0) return fail('62041');
      // Paid: refunded in full through a refund order; PAID_SUCCESS becomes FAILURE, SETTLED stays (§7).
      ledger.addRefund(
        o,
        {
          refundMerchantOrderNo: `REVOKE-${o.orderNo}`,
          amountMinor: o.amountMinor,
          reason: 'revoke',
          fingerprint: 'revoke',
          viaRevoke: true,
        },
        ctx.refundCompleteMs,
      );
      if (o.status === 'PAID_SUCCESS') ledger.setStatus(o, 'FAILURE');
    } else if (o.status === 'CREATED') {
      ledger.setStatus(o, 'FAILURE');
    }
    o.revoked = true;
  }
  return ok({ acquireOrder: acquireOrderView(o, ctx.partnerId) });
}

export function registerAcquireRoutes(app: FastifyInstance, ctx: SimContext): void {
  registerPayByRoute(app, ctx, '/acquire2/placeOrder', (biz, { requestTime, req }) => placeOrder(ctx, biz, requestTime, req));

  registerPayByRoute(app, ctx, '/acquire2/getOrder', (biz) => {
    const o = lookup(ctx, biz);
    return isReply(o) ? o : ok({ acquireOrder: acquireOrderView(o, ctx.partnerId) });
  });

  // Only an unpaid order can be cancelled (§5.3); paid ones need revoke or refund.
  registerPayByRoute(app, ctx, '/acquire2/cancelOrder', (biz) => {
    const o = lookup(ctx, biz);
    if (isReply(o)) return o;
    if (o.status !== 'CREATED') return fail(FINAL_CODES[o.status]);
    ctx.ledger.setStatus(o, 'FAILURE');
    return ok({ acquireOrder: acquireOrderView(o, ctx.partnerId) });
  });

  registerPayByRoute(app, ctx, '/acquire2/revokeOrder', (biz) => {
    const o = lookup(ctx, biz);
    return isReply(o) ? o : revoke(ctx, o);
  });

  registerPayByRoute(app, ctx, '/acquire2/updateExpiredTime', (biz) => {
    const o = lookup(ctx, biz);
    if (isReply(o)) return o;
    if (o.status !== 'CREATED') return fail(FINAL_CODES[o.status]);
    const t = biz.expiredTime;
    const now = ctx.clock.now();
    if (typeof t !== 'number' || !Number.isInteger(t) || t <= now || t > now + 15 * 24 * HOUR)
      return fail('62089', 'expiredTime must be in the future and within 15 days');
    o.expiredTime = t;
    ctx.timers.after(t - now + 5, () => ctx.ledger.touch(o));
    return ok({ acquireOrder: acquireOrderView(o, ctx.partnerId) });
  });
}
