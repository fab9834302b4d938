// Payment routes (DESIGN §5). Thin: parsing and status codes here, rules in payments/service.ts.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../payments/api-error.ts';
import { toPaymentView } from '../payments/view.ts';
import { listOrderPayments, listRecentPayments } from '../store/payments.ts';

export async function paymentRoutes(app: FastifyInstance): Promise<void> {
  app.post('/payments', async (request, reply) => {
    const { payment, replayed } = await app.kiosk.service.create(request.terminal!, request.headers['idempotency-key'], request.body);
    return reply.status(replayed ? 200 : 201).send(toPaymentView(payment));
  });

  app.get<{ Params: { id: string } }>('/payments/:id', async (request) => {
    const payment = await app.kiosk.service.get(request.terminal!, request.params.id);
    // A kiosk reading an open payment is waiting for it: the reconciler asks the provider at its fast cadence.
    app.kiosk.poller.seen(payment.id);
    return toPaymentView(payment);
  });

  app.get<{ Querystring: { orderId?: string; limit?: string } }>('/payments', async (request) => {
    const { orderId, limit } = request.query;
    const terminalId = request.terminal!.id;
    if (orderId !== undefined) {
      if (orderId === '' || orderId.length > 128) throw new ApiError(400, 'invalid_order_id', 'orderId must be 1-128 characters.');
      return { payments: (await listOrderPayments(app.kiosk.db, terminalId, orderId)).map(toPaymentView) };
    }
    const n = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 200) throw new ApiError(400, 'invalid_limit', 'limit must be 1-200.');
    return { payments: (await listRecentPayments(app.kiosk.db, terminalId, n)).map(toPaymentView) };
  });

  app.post<{ Params: { id: string } }>('/payments/:id/cancel', async (request, reply) => {
    const { payment, accepted } = await app.kiosk.service.cancel(request.terminal!, request.params.id);
    // 202: the cancel is on its way (charge still in flight, or the provider did not answer); follow via SSE/GET.
    return reply.status(accepted ? 202 : 200).send(toPaymentView(payment));
  });
}
