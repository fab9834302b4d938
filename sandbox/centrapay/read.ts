// Read endpoints (spec §5.2–5.5): by id (the poll, with its side effects), by short code, by externalRef
// (paginated), and a request's activities.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from './context.ts';
import { onPoll } from './create.ts';
import { badRequest, forbidden, ok, PATHS, refuse, type Answer } from './protocol.ts';
import { registerApiRoute } from './route.ts';
import { activityView, requestView } from './views.ts';

type Params = { paymentRequestId?: string; shortCode?: string; externalRef?: string };
type Query = { merchantAccountId?: string; pageKey?: string; paginationLimit?: string };

function externalRefPage(ctx: SimContext, req: FastifyRequest, origin: string): Answer {
  const { externalRef = '' } = req.params as Params;
  const q = req.query as Query;
  // Simulator choice: merchantAccountId may be omitted (then: the key's account); another account → 403.
  if (q.merchantAccountId !== undefined && q.merchantAccountId !== ctx.accountId)
    return forbidden("merchantAccountId is not the API key's account");
  const limit = q.paginationLimit === undefined ? 25 : Number(q.paginationLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return badRequest('paginationLimit must be 1..100');
  let start = 0;
  if (q.pageKey !== undefined) {
    start = Number(Buffer.from(q.pageKey, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) return badRequest('pageKey is not valid');
  }
  const all = ctx.ledger.filter((r) => r.refs.externalRef === externalRef);
  const items = all.slice(start, start + limit).map((r) => requestView(r, ctx, origin));
  const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return ok({ items, ...(next ? { pageKey: next } : {}) });
}

export function registerReadRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { ledger } = ctx;

  registerApiRoute(app, ctx, 'GET', PATHS.get, (req, origin) => {
    const r = ledger.find((req.params as Params).paymentRequestId ?? '');
    if (!r) return forbidden();
    onPoll(ctx, r);
    return ok(requestView(r, ctx, origin));
  });

  registerApiRoute(app, ctx, 'GET', PATHS.shortCode, (req, origin) => {
    const code = (req.params as Params).shortCode ?? '';
    // The real check-character scheme is unconfirmed (§3): the simulator checks the shape only.
    if (!/^CP-[A-Z0-9]{3}-[A-Z0-9]{3}$/.test(code)) return refuse(400, 'CHECKSUM_FAILED', 'not a payment request short code');
    const [latest] = ledger.filter((r) => r.shortCode === code);
    return latest ? ok(requestView(latest, ctx, origin)) : forbidden();
  });

  registerApiRoute(app, ctx, 'GET', PATHS.externalRef, (req, origin) => externalRefPage(ctx, req, origin));

  registerApiRoute(app, ctx, 'GET', PATHS.activities, (req) => {
    const r = ledger.find((req.params as Params).paymentRequestId ?? '');
    if (!r) return forbidden();
    return ok({ items: [...r.activities].reverse().map((a) => activityView(r, a, ctx)) });
  });
}
