// /acquire2/refund/*: placeOrder and getOrder (spec §5.5, §5.6, §10).
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context.ts';
import { canonical, checkUrl, fail, isOrderNo, isReply, money, oneOf, ok, parseMoney, type Obj, type Reply } from './protocol.ts';
import { registerPayByRoute } from './route.ts';
import { refundBody } from './views.ts';

function placeRefund(ctx: SimContext, biz: Obj): Reply {
  const { ledger } = ctx;
  if (!isOrderNo(biz.refundMerchantOrderNo)) return fail('400', 'refundMerchantOrderNo must be 1–64 letters, digits, - or _');
  const origin = oneOf(biz, 'originMerchantOrderNo', 'originOrderNo');
  if (isReply(origin)) return origin;
  const minor = parseMoney(biz.amount, 'amount');
  if (isReply(minor)) return minor;
  if (biz.reason !== undefined && (typeof biz.reason !== 'string' || biz.reason.length > 64))
    return fail('400', 'reason must be at most 64 characters');
  const badUrl = checkUrl(biz.notifyUrl, 'notifyUrl');
  if (badUrl) return badUrl;

  const fingerprint = canonical({ ...biz, amount: money(minor) });
  const prior = ledger.findRefund({ refundMerchantOrderNo: biz.refundMerchantOrderNo });
  if (prior) {
    // Same refund asked again: the refund as it is (INFERRED in the spec); other parameters → 62017.
    if (prior.fingerprint !== fingerprint) return fail('62017');
    return ok(refundBody(prior, ledger.find({ orderNo: prior.originOrderNo })!, ledger));
  }
  const order = ledger.find({ merchantOrderNo: origin.originMerchantOrderNo, orderNo: origin.originOrderNo });
  if (!order) return fail(origin.originOrderNo !== undefined ? '62035' : '62004');
  if (order.revoked) return fail('62040');
  if (order.status === 'CREATED') return fail('62015');
  if (order.status === 'FAILURE') return fail('62002');
  if (minor > order.amountMinor - ledger.refundedMinor(order)) return fail('62006');
  const refund = ledger.addRefund(
    order,
    {
      refundMerchantOrderNo: biz.refundMerchantOrderNo,
      amountMinor: minor,
      reason: biz.reason,
      notifyUrl: biz.notifyUrl as string | undefined,
      fingerprint,
      viaRevoke: false,
    },
    ctx.refundCompleteMs,
  );
  return ok(refundBody(refund, order, ledger));
}

export function registerRefundRoutes(app: FastifyInstance, ctx: SimContext): void {
  registerPayByRoute(app, ctx, '/acquire2/refund/placeOrder', (biz) => placeRefund(ctx, biz));

  registerPayByRoute(app, ctx, '/acquire2/refund/getOrder', (biz) => {
    const id = oneOf(biz, 'refundMerchantOrderNo', 'orderNo');
    if (isReply(id)) return id;
    const refund = ctx.ledger.findRefund(id);
    if (!refund) return fail(id.orderNo !== undefined ? '62035' : '62007');
    return ok(refundBody(refund, ctx.ledger.find({ orderNo: refund.originOrderNo })!, ctx.ledger));
  });
}
