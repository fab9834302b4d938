// Read endpoints (spec §5.2–5.5): by id (the poll, with its side effects), by short code, by externalRef
// (paginated), a request's activities, and the pay page's summary.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from './context.ts';
import { onPoll } from './create.ts';
import { badRequest, forbidden, ok, PATHS, refuse, type Answer } from './protocol.ts';
import { registerApiRoute } from './route.ts';
import { closedError } from './actions.ts';
import { activityView, requestView, summaryView } from './views.ts';

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
  const all = ctx.ledger.filter((r) => r.refs.externalRef === externalRef);
  let start = 0;
  if (q.pageKey !== undefined) {
    // A cursor after the last item of the previous page, shaped like Centrapay's keys (`Type#id|…`): its
    // `#` and `|` mean a client must URL-encode it, as the docs require.
    const m = /^PaymentRequest#([A-Za-z0-9]+)\|/.exec(q.pageKey);
    const after = m ? all.findIndex((r) => r.id === m[1]) : -1;
    if (after < 0) return badRequest('pageKey is not valid');
    start = after + 1;
  }
  const page = all.slice(start, start + limit);
  const items = page.map((r) => requestView(r, ctx, origin));
  const last = page[page.length - 1];
  const next = start + limit < all.length && last ? `PaymentRequest#${last.id}|${new Date(last.createdAt).toISOString()}` : undefined;
  // The endpoint's docs example names it `pageKey`; the Pagination model names it `nextPageKey`: both are
  // sent, only when there is a next page (README).
  return ok({ items, ...(next ? { pageKey: next, nextPageKey: next } : {}) });
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

  // Docs: "while the status is `new`"; after that the pay page has nothing to show (simulator: the same 403
  // codes as paying a closed request). The docs' example sends no X-Api-Key: public.
  registerApiRoute(
    app,
    ctx,
    'GET',
    PATHS.summary,
    (req, origin) => {
      const r = ledger.find((req.params as Params).paymentRequestId ?? '');
      if (!r) return forbidden();
      return r.status === 'new' ? ok(summaryView(r, ctx, origin)) : closedError(r);
    },
    { public: true },
  );

  registerApiRoute(app, ctx, 'GET', PATHS.externalRef, (req, origin) => externalRefPage(ctx, req, origin));

  registerApiRoute(app, ctx, 'GET', PATHS.activities, (req) => {
    const r = ledger.find((req.params as Params).paymentRequestId ?? '');
    if (!r) return forbidden();
    return ok({ items: [...r.activities].reverse().map((a) => activityView(r, a, ctx)) });
  });
}
