// Order routes (DESIGN §5, §9): the kiosk's offline queue flushes here. Registered inside the authenticated
// /api scope, so every order belongs to the terminal whose token sent it. Rules in orders/service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import * as Api from '../../src/shared/api-schemas.ts';
import { ApiError } from '../payments/api-error.ts';
import { upsertOrder } from '../orders/service.ts';
import { validateOrder } from '../orders/validate.ts';
import { listOrders, toOrderView } from '../store/orders.ts';

export const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/orders',
    {
      schema: { body: Api.OrderUpsertRequest, response: { '2xx': Api.OrderView } },
    },
    async (request, reply) => {
      const terminal = request.terminal!;
      const store = app.kiosk.stores.get(terminal.store_id);
      if (!store) throw new ApiError(503, 'store_unavailable', "This terminal's store is not configured on the server.");
      const order = validateOrder(request.body, store.currency, app.kiosk.service.maxAmountFor(store));
      const { order: view, outcome } = await upsertOrder(app.kiosk.db, terminal.id, order);
      return reply.status(outcome === 'created' ? 201 : 200).send(view);
    },
  );

  app.get(
    '/orders',
    {
      schema: { querystring: Api.ListOrdersQuery, response: { 200: Api.OrderList } },
    },
    async (request) => {
      const { status, limit = 100 } = request.query;
      const statuses = status === undefined ? null : status.split(',');
      return { orders: (await listOrders(app.kiosk.db, request.terminal!.id, statuses, limit)).map(toOrderView) };
    },
  );
};
