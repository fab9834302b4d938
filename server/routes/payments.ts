// Payment routes (DESIGN §5). Thin: schemas and status codes here, rules in payments/service.ts.
// GET /payments (the history search) and GET /payments/:id/detail are in history.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import * as Api from '../../src/shared/api-schemas.ts';
import { toPaymentView } from '../payments/view.ts';
import { roleAtLeast } from '../staff/directory.ts';
import { minimumRole } from '../staff/roles.ts';

export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/payments',
    {
      schema: { headers: Api.IdempotencyHeaders, body: Api.CreatePaymentRequest, response: { '2xx': Api.PaymentView } },
    },
    async (request, reply) => {
      const signedIn = await app.kiosk.sessions.ofRequest(request);
      const staff = signedIn && roleAtLeast(signedIn.staff.role, minimumRole('sell')) ? signedIn.staff : null;
      // A self-checkout terminal's customers pay with nobody signed in (its mode is switched with a PIN).
      const staffRequired = app.kiosk.config.staff.signIn === 'required' && !request.terminal!.self_checkout;
      const { payment, replayed } = await app.kiosk.service.create(request.terminal!, request.headers['idempotency-key'], request.body, {
        staff,
        staffRequired,
      });
      return reply.status(replayed ? 200 : 201).send(toPaymentView(payment));
    },
  );

  app.get(
    '/payments/:id',
    {
      schema: { params: Api.PaymentParams, querystring: Api.PaymentReadQuery, response: { 200: Api.PaymentView } },
    },
    async (request) => {
      const payment = await app.kiosk.service.get(request.terminal!, request.params.id);
      // A kiosk reading an open payment is waiting for it: the reconciler asks at its fast cadence. A kiosk
      // polling for want of pushes (fresh=1) has it ask the provider now, and if the answer comes promptly
      // this read carries it.
      if (!(await app.kiosk.poller.seen(payment, { askNow: request.query.fresh === '1' }))) return toPaymentView(payment);
      return toPaymentView(await app.kiosk.service.get(request.terminal!, request.params.id));
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
