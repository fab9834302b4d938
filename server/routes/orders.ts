// Order routes (DESIGN §5, §9): the kiosk's offline queue flushes here. Registered inside the authenticated
// /api scope, so every order belongs to the terminal whose token sent it. Rules in orders/service.ts.
import type { FastifyInstance } from 'fastify';
import { ORDER_STATUSES } from '../../src/shared/orders.ts';
import { ApiError } from '../payments/api-error.ts';
import { upsertOrder } from '../orders/service.ts';
import { validateOrder } from '../orders/validate.ts';
import { listOrders, toOrderView } from '../store/orders.ts';

export async function orderRoutes(app: FastifyInstance): Promise<void> {
  app.post('/orders', async (request, reply) => {
    const terminal = request.terminal!;
    const store = app.kiosk.stores.get(terminal.store_id);
    if (!store) throw new ApiError(503, 'store_unavailable', 'This terminal\'s store is not configured on the server.');
    const order = validateOrder(request.body, store.currency, app.kiosk.service.maxAmountFor(store));
    const { order: view, outcome } = await upsertOrder(app.kiosk.db, terminal.id, order);
    return reply.status(outcome === 'created' ? 201 : 200).send(view);
  });

  app.get<{ Querystring: { status?: string; limit?: string } }>('/orders', async (request) => {
    const { status, limit } = request.query;
    let statuses: string[] | null = null;
    if (status !== undefined) {
      statuses = status.split(',');
      const unknown = statuses.filter((s) => !(ORDER_STATUSES as readonly string[]).includes(s));
      if (unknown.length || statuses.length === 0) {
        throw new ApiError(400, 'invalid_status', `status must be a comma-separated list of ${ORDER_STATUSES.join(', ')}.`);
      }
    }
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 500) throw new ApiError(400, 'invalid_limit', 'limit must be 1-500.');
    return { orders: (await listOrders(app.kiosk.db, request.terminal!.id, statuses, n)).map(toOrderView) };
  });
}
