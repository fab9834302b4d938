// Staff actions on a payment (issue 4; DESIGN §5, §10). Thin: parsing, PIN gate and status codes here, rules
// in payments/staff-actions.ts and payments/refunds.ts.
//   POST /api/payments/:id/recheck      any paired terminal: ask the provider now → PaymentView
//   POST /api/payments/:id/void         supervisor PIN: cancel/void/revoke → PaymentView (202 while unconfirmed)
//   POST /api/payments/:id/refunds      supervisor PIN + Idempotency-Key, {amount} → RefundResponse (201; 200 replay)
//   GET  /api/payments/:id/refunds      → {refunds: RefundView[]}
//   POST /api/payments/:id/acknowledge  supervisor PIN: clear needsAttention on a settled payment → PaymentView
// The PIN travels in `X-Staff-Pin` (or the body's `pin`); without one, a signed-in staff member with the role
// (staff/sessions.ts) is enough. The roles come from staff/roles.ts. Void and refund reach any sale of the
// terminal's store for a supervisor (payments/staff-reach.ts); the other actions only the till's own sales.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import * as Api from '../../src/shared/api-schemas.ts';
import { toRefundView } from '../payments/refund-settle.ts';
import { toPaymentView } from '../payments/view.ts';
import { reachPayment, roleToReach } from '../payments/staff-reach.ts';
import { minimumRole } from '../staff/roles.ts';
import { listPaymentRefunds } from '../store/refunds.ts';

const pinAction = { params: Api.PaymentParams, headers: Api.StaffPinHeaders, body: Api.PinOnlyBody, response: { '2xx': Api.PaymentView } };

export const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { staffActions, staffGate, refunds, service, db } = app.kiosk;

  app.post(
    '/payments/:id/recheck',
    {
      schema: { params: Api.PaymentParams, body: Api.NoBody, response: { 200: Api.PaymentView } },
    },
    async (request) => {
      return toPaymentView(await staffActions.recheck(request.terminal!, request.params.id));
    },
  );

  app.post('/payments/:id/void', { schema: pinAction }, async (request, reply) => {
    // 404 before the PIN: a wrong id should not cost a PIN attempt.
    const { payment: p, otherTill } = await reachPayment(db, request.terminal!, request.params.id);
    const staff = await staffGate.require(request, reply, roleToReach('void', otherTill), 'void', p.id);
    const { payment, accepted } = await staffActions.void(request.terminal!, p, staff);
    return reply.status(accepted ? 202 : 200).send(toPaymentView(payment));
  });

  app.post(
    '/payments/:id/refunds',
    {
      schema: {
        params: Api.PaymentParams,
        headers: Api.RefundHeaders,
        body: Api.CreateRefundRequest,
        response: { '2xx': Api.RefundResponse },
      },
    },
    async (request, reply) => {
      const { payment: p, otherTill } = await reachPayment(db, request.terminal!, request.params.id);
      const staff = await staffGate.require(request, reply, roleToReach('refund', otherTill), 'refund', p.id);
      const r = await refunds.create(request.terminal!, p, request.headers['idempotency-key'], request.body, staff);
      return reply.status(r.replayed ? 200 : 201).send({ refund: toRefundView(r.refund), payment: toPaymentView(r.payment) });
    },
  );

  app.get('/payments/:id/refunds', { schema: { params: Api.PaymentParams, response: { 200: Api.RefundList } } }, async (request) => {
    const p = await service.get(request.terminal!, request.params.id);
    return { refunds: (await listPaymentRefunds(db, p.id)).map(toRefundView) };
  });

  app.post('/payments/:id/acknowledge', { schema: pinAction }, async (request, reply) => {
    await service.get(request.terminal!, request.params.id);
    const staff = await staffGate.require(request, reply, minimumRole('acknowledge'), 'acknowledge', request.params.id);
    return toPaymentView(await staffActions.acknowledge(request.terminal!, request.params.id, staff));
  });
};
