// Payment routes (DESIGN §5). Thin: schemas and status codes here, rules in payments/service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import * as Api from '../../src/shared/api-schemas.ts';
import { toPaymentView } from '../payments/view.ts';
import { listOrderPayments, listRecentPayments } from '../store/payments.ts';

export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/payments',
    {
      schema: { headers: Api.IdempotencyHeaders, body: Api.CreatePaymentRequest, response: { '2xx': Api.PaymentView } },
    },
    async (request, reply) => {
      const { payment, replayed } = await app.kiosk.service.create(request.terminal!, request.headers['idempotency-key'], request.body);
      return reply.status(replayed ? 200 : 201).send(toPaymentView(payment));
    },
  );

  app.get(
    '/payments/:id',
    {
      schema: { params: Api.PaymentParams, response: { 200: Api.PaymentView } },
    },
    async (request) => {
      const payment = await app.kiosk.service.get(request.terminal!, request.params.id);
      // A kiosk reading an open payment is waiting for it: the reconciler asks the provider at its fast cadence.
      app.kiosk.poller.seen(payment);
      return toPaymentView(payment);
    },
  );

  app.get(
    '/payments',
    {
      schema: { querystring: Api.ListPaymentsQuery, response: { 200: Api.PaymentList } },
    },
    async (request) => {
      const { orderId, limit = 50 } = request.query;
      const terminalId = request.terminal!.id;
      if (orderId !== undefined) {
        return { payments: (await listOrderPayments(app.kiosk.db, terminalId, orderId)).map(toPaymentView) };
      }
      return { payments: (await listRecentPayments(app.kiosk.db, terminalId, limit)).map(toPaymentView) };
    },
  );

  app.post(
    '/payments/:id/cancel',
    {
      schema: { params: Api.PaymentParams, body: Api.NoBody, response: { '2xx': Api.PaymentView } },
    },
    async (request, reply) => {
      const { payment, accepted } = await app.kiosk.service.cancel(request.terminal!, request.params.id);
      // 202: the cancel is on its way (charge still in flight, or the provider did not answer); follow via SSE/GET.
      return reply.status(accepted ? 202 : 200).send(toPaymentView(payment));
    },
  );
};
