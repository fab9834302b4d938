// GET /api/payment-activities?merchantId=…&pageKey=… (spec §5.5): every activity of the key's merchant,
// across its payment requests, newest first, paged by an opaque pageKey like the external-ref listing.
// Choices where the docs are silent are in README.md ("Payment activities").
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from './context.ts';
import type { SimActivity, SimRequest } from './ledger.ts';
import { badRequest, ok, type Answer } from './protocol.ts';
import { registerApiRoute } from './route.ts';
import { activityView } from './views.ts';

export const ACTIVITIES_LIST_PATH = '/api/payment-activities';

type Query = { merchantId?: string; pageKey?: string; paginationLimit?: string };

function page(ctx: SimContext, req: FastifyRequest): Answer {
  const q = req.query as Query;
  // Another merchant's id: its activities are not this key's to read, so the page is empty.
  if (q.merchantId !== undefined && q.merchantId !== ctx.merchantId) return ok({ items: [] });
  const limit = q.paginationLimit === undefined ? 50 : Number(q.paginationLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return badRequest('paginationLimit must be 1..100');
  let start = 0;
  if (q.pageKey !== undefined) {
    start = Number(Buffer.from(q.pageKey, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) return badRequest('pageKey is not valid');
  }
  const all: { r: SimRequest; a: SimActivity }[] = [];
  for (const r of ctx.ledger.filter(() => true)) for (const a of r.activities) all.push({ r, a });
  all.sort((x, y) => y.a.createdAt - x.a.createdAt || y.a.number - x.a.number);
  const items = all.slice(start, start + limit).map(({ r, a }) => activityView(r, a, ctx));
  const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return ok({ items, ...(next ? { pageKey: next } : {}) });
}

export function registerActivityListRoute(app: FastifyInstance, ctx: SimContext): void {
  registerApiRoute(app, ctx, 'GET', ACTIVITIES_LIST_PATH, (req) => page(ctx, req));
}
