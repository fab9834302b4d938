// Self-checkout (issue 12):
//   PUT  /api/terminal/self-checkout {on}  a supervisor (PIN in X-Staff-Pin, or signed in) switches this tablet's
//                                          mode → SelfCheckoutInfo. Entering it signs out whoever was signed in
//                                          here, so leaving it always takes a PIN typed at the tablet.
//   POST /api/staff-calls                  a customer's "Call staff" → StaffCallView (201; 200 for the call
//                                          already open at this tablet); pushed to every stream of the store
//   POST /api/staff-calls/:id/answer       staff at another till answer it → StaffCallView (pushed likewise)
// Open calls are listed on GET /api/attention (staffCalls).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoBody, StaffPinHeaders } from '../../src/shared/api-schemas.ts';
import * as S from '../../src/shared/self-checkout-schemas.ts';
import { ApiError } from '../payments/api-error.ts';
import { minimumRole } from '../staff/roles.ts';
import { appendAudit } from '../store/audit.ts';
import { deleteStaffSession } from '../store/staff-sessions.ts';
import { answerStaffCall, raiseStaffCall, setSelfCheckout, toStaffCallView } from '../store/self-checkout.ts';

export const selfCheckoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, staffGate, bus, config } = app.kiosk;

  app.put(
    '/terminal/self-checkout',
    // X-Staff-Pin in the header schema: the per-tablet PIN rate limit applies (routes/limits.ts).
    { schema: { headers: StaffPinHeaders, body: S.SelfCheckoutRequest, response: { 200: S.SelfCheckoutInfo } } },
    async (request, reply) => {
      const terminal = request.terminal!;
      const staff = await staffGate.require(request, reply, minimumRole('self_checkout'), 'self_checkout', null);
      const { on } = request.body;
      if (!(await setSelfCheckout(db, terminal.id, on))) {
        throw new ApiError(401, 'unauthorized', "This tablet's pairing is not valid any more. Pair it again.");
      }
      if (on) await deleteStaffSession(db, terminal.id);
      await appendAudit(db, { terminalId: terminal.id, staff, action: 'self_checkout', outcome: 'succeeded', detail: { on } });
      request.log.info({ terminalId: terminal.id, on }, 'self-checkout mode switched');
      return { on, idleMs: config.selfCheckoutIdleMs };
    },
  );

  app.post('/staff-calls', { schema: { body: NoBody, response: { '2xx': S.StaffCallView } } }, async (request, reply) => {
    const terminal = request.terminal!;
    const { call, created } = await raiseStaffCall(db, terminal);
    const view = toStaffCallView(call);
    if (created) {
      await appendAudit(db, { terminalId: terminal.id, action: 'staff_call', outcome: 'requested', detail: { id: call.id } });
      bus.publishStaffCall({ storeId: terminal.store_id, frame: { kind: 'called', call: view } });
    }
    return reply.status(created ? 201 : 200).send(view);
  });

  app.post(
    '/staff-calls/:id/answer',
    { schema: { params: S.StaffCallParams, body: NoBody, response: { 200: S.StaffCallView } } },
    async (request) => {
      const terminal = request.terminal!;
      if (terminal.self_checkout) {
        throw new ApiError(403, 'self_checkout_terminal', 'Answer a call at a staffed till, not at a self-checkout tablet.');
      }
      const row = await answerStaffCall(db, terminal.store_id, request.params.id, terminal.id);
      if (!row) throw new ApiError(404, 'staff_call_not_found', 'No open call with this id in this store (someone may have answered it).');
      const view = toStaffCallView(row);
      await appendAudit(db, { terminalId: terminal.id, action: 'staff_call', outcome: 'succeeded', detail: { id: row.id } });
      bus.publishStaffCall({ storeId: terminal.store_id, frame: { kind: 'answered', call: view } });
      return view;
    },
  );
};
