// Money-moving endpoints (spec §5.6–5.10): void, refund, pay (patron side / external assets) and the
// merchant's condition accept/decline.
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context.ts';
import type { SimActivity, SimRequest } from './ledger.ts';
import {
  asObject,
  badRequest,
  checkLineItems,
  checkStrings,
  forbidden,
  isAnswer,
  ok,
  parseMonetary,
  PATHS,
  refuse,
  type Answer,
} from './protocol.ts';
import { registerApiRoute } from './route.ts';
import { activityView } from './views.ts';

type Params = { paymentRequestId?: string; conditionId?: string };

/** Why a request that is not `new` cannot be paid or cancelled (§5.9 codes). */
export function closedError(r: SimRequest): Answer {
  if (r.status === 'paid') return refuse(403, 'REQUEST_PAID');
  if (r.status === 'expired') return refuse(403, 'REQUEST_EXPIRED');
  return refuse(403, 'REQUEST_CANCELLED');
}

function voidRequest(ctx: SimContext, r: SimRequest): Answer {
  const view = (a: SimActivity) => ok(activityView(r, a, ctx));
  if (Date.now() - r.createdAt > 86_400 * ctx.ledger.secondMs) return refuse(403, 'VOID_WINDOW_EXCEEDED');
  if (r.status === 'new') return view(ctx.ledger.cancel(r, 'CANCELLED_BY_MERCHANT')!);
  if (r.status !== 'paid') return closedError(r);
  // Paid: void refunds what is left (the request stays `paid`, simulator choice for §5.6).
  const rest = r.valueMinor - ctx.ledger.refundedMinor(r);
  if (rest <= 0) return refuse(403, 'ALREADY_REFUNDED');
  return view(ctx.ledger.refund(r, rest, `void-${r.id}`));
}

function refund(ctx: SimContext, r: SimRequest, body: unknown): Answer {
  const b = asObject(body);
  if (!b) return badRequest('body must be a JSON object');
  const value = parseMonetary(b.value, 'value');
  if (isAnswer(value)) return value;
  if (typeof b.externalRef !== 'string' || b.externalRef === '') return badRequest('externalRef is required');
  const bad = checkStrings(b, ['externalRef', 'invoiceRef']) ?? checkLineItems(b.lineItems, value.minor);
  if (bad) return bad;
  // externalRef is the refund's idempotency key (§9): same amount → the first answer; other amount → refused.
  const prior = r.activities.find((a) => a.type === 'refund' && a.externalRef === b.externalRef);
  if (prior) return prior.valueMinor === value.minor ? ok(activityView(r, prior, ctx)) : refuse(403, 'REPEAT_REFERENCE');
  if (r.status !== 'paid') return refuse(403, 'NOT_PAID');
  if (value.currency !== r.currency) return refuse(403, 'INVALID_AMOUNT', `refund currency must be ${r.currency}`);
  const refundable = r.valueMinor - ctx.ledger.refundedMinor(r);
  if (refundable <= 0) return refuse(403, 'ALREADY_REFUNDED');
  if (value.minor > refundable) return refuse(403, 'INVALID_AMOUNT', `at most ${refundable} can be refunded`);
  const echo: Record<string, unknown> = {};
  for (const f of ['invoiceRef', 'lineItems']) if (b[f] !== undefined) echo[f] = b[f];
  return ok(activityView(r, ctx.ledger.refund(r, value.minor, b.externalRef, echo), ctx));
}

function pay(ctx: SimContext, r: SimRequest, body: unknown): Answer {
  const b = asObject(body);
  if (!b) return badRequest('body must be a JSON object');
  if (typeof b.assetType !== 'string' || b.assetType === '') return badRequest('assetType is required');
  if (typeof b.idempotencyKey !== 'string' || b.idempotencyKey === '') return badRequest('idempotencyKey is required');
  if (![b.assetId, b.transactionId, b.authorization].some((v) => typeof v === 'string' && v !== '')) {
    return badRequest('one of assetId, transactionId or authorization is required');
  }
  // Partial and multi-asset payments (`mode`, `amount`) are not simulated: refused rather than paid in full.
  if (b.mode !== undefined || b.amount !== undefined) return badRequest('partial and multi-asset payments are not simulated');
  const prior = r.payKeys.get(b.idempotencyKey);
  if (prior) return ok(activityView(r, prior, ctx));
  if (r.status !== 'new') return closedError(r);
  if (b.assetType !== r.assetType) return refuse(403, 'INVALID_ASSET_TYPE', `this request accepts ${r.assetType}`);
  if (r.conditions.some((c) => c.status === 'awaiting-merchant'))
    return refuse(403, 'PAYMENT_UNCONFIRMED', 'a merchant condition is still open');
  const activity = ctx.ledger.pay(r, b.assetType)!;
  // Echoed on the activity as in the docs' pay example.
  activity.echo = { idempotencyKey: b.idempotencyKey };
  if (b.externalPaymentRef !== undefined) activity.echo.externalPaymentRef = b.externalPaymentRef;
  r.payKeys.set(b.idempotencyKey, activity);
  return ok(activityView(r, activity, ctx));
}

function condition(ctx: SimContext, r: SimRequest, conditionId: string, accept: boolean): Answer {
  const c = r.conditions.find((x) => x.id === conditionId);
  if (!c) return forbidden('no such condition');
  if (c.status === 'awaiting-patron') return refuse(403, 'MERCHANT_NOT_AUTHORIZED');
  if (c.status !== 'awaiting-merchant') return refuse(403, 'CONDITION_ALREADY_SET');
  if (r.status !== 'new') return closedError(r);
  const activity = ctx.ledger.conditionActivity(r, c, accept);
  // Photo ID checked → the asset pays; refused → the request is cancelled (§5.10).
  if (accept) ctx.ledger.pay(r);
  else ctx.ledger.cancel(r, 'DECLINED_BY_MERCHANT');
  return ok(activityView(r, activity, ctx));
}

export function registerActionRoutes(app: FastifyInstance, ctx: SimContext): void {
  const withRequest = (fn: (r: SimRequest, params: Params, body: unknown) => Answer) => (req: { params: unknown; body: unknown }) => {
    const params = req.params as Params;
    const r = ctx.ledger.find(params.paymentRequestId ?? '');
    return r ? fn(r, params, req.body) : forbidden();
  };
  registerApiRoute(
    app,
    ctx,
    'POST',
    PATHS.void,
    withRequest((r) => voidRequest(ctx, r)),
  );
  registerApiRoute(
    app,
    ctx,
    'POST',
    PATHS.refund,
    withRequest((r, _p, body) => refund(ctx, r, body)),
  );
  registerApiRoute(
    app,
    ctx,
    'POST',
    PATHS.pay,
    withRequest((r, _p, body) => pay(ctx, r, body)),
  );
  registerApiRoute(
    app,
    ctx,
    'POST',
    PATHS.acceptCondition,
    withRequest((r, p) => condition(ctx, r, p.conditionId ?? '', true)),
  );
  registerApiRoute(
    app,
    ctx,
    'POST',
    PATHS.declineCondition,
    withRequest((r, p) => condition(ctx, r, p.conditionId ?? '', false)),
  );
}
