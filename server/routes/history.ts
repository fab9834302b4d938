// Sales history (issue 11, items 1-2). Thin: scope and PIN here, the search in payments/history.ts.
//   GET /api/payments?from&to&status&provider&vendor&q&scope&cursor&limit → {payments, nextCursor}
//   GET /api/payments?orderId=…            the attempts of one order (the kiosk's recovery), one page
//   GET /api/payments/:id/detail?scope=…   → PaymentDetail (lines, refunds, timeline)
// scope=terminal (default): this terminal's sales in its store. scope=store: every terminal of the store,
// for a supervisor or manager — the staff gate decides who that is: the one signed in at the tablet, a PIN in
// X-Staff-Pin, or a store-view grant that PIN bought (X-Staff-Grant, POST /api/staff/grants: staff/grants.ts).
// Never another store's sales, whatever the scope: every query is bound to the terminal's store.
// X-Staff-Pin is read by the gate but not declared in these routes' header schemas: a declared PIN header
// puts a route in the tight PIN rate class (routes/limits.ts, 20 a minute), which a search box typing in
// terminal scope would hit. Wrong PINs are still limited by the gate's lockout, counted in the database.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as Api from '../../src/shared/api-schemas.ts';
import * as History from '../../src/shared/history-schemas.ts';
import { ApiError } from '../payments/api-error.ts';
import { searchHistory } from '../payments/history.ts';
import { saleDetail } from '../payments/sale-detail.ts';
import { toHistoryPayment } from '../payments/view.ts';
import { getPayment, listOrderPayments } from '../store/payments.ts';
import { acceptedGrants, minimumRole } from '../staff/roles.ts';

export const historyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, service, staffGate } = app.kiosk;

  /** The terminal whose sales the request may see, or undefined for the whole store (after the gate). */
  const scopeOf = async (request: FastifyRequest, reply: FastifyReply, scope: string | undefined): Promise<string | undefined> => {
    if (scope !== 'store') return request.terminal!.id;
    await staffGate.require(request, reply, minimumRole('store_history'), 'history', null, {
      grants: acceptedGrants('store_history'),
    });
    return undefined;
  };

  app.get(
    '/payments',
    { schema: { querystring: History.ListPaymentsQuery, response: { 200: History.PaymentList } } },
    async (request, reply) => {
      const terminal = request.terminal!;
      if (request.query.orderId !== undefined) {
        return { payments: (await listOrderPayments(db, terminal.id, request.query.orderId)).map(toHistoryPayment), nextCursor: null };
      }
      const terminalId = await scopeOf(request, reply, request.query.scope);
      const { payments, nextCursor } = await searchHistory(db, service.storeOf(terminal), terminalId, request.query);
      return { payments: payments.map(toHistoryPayment), nextCursor };
    },
  );

  app.get(
    '/payments/:id/detail',
    {
      schema: { params: Api.PaymentParams, querystring: History.DetailQuery, response: { 200: History.PaymentDetail } },
    },
    async (request, reply) => {
      const terminal = request.terminal!;
      const p = await getPayment(db, request.params.id);
      // Another store's payment, or (terminal scope) another terminal's, is as absent as a wrong id — and is
      // refused before the PIN is looked at, so probing ids costs no PIN attempts and reveals nothing.
      const visible = p && p.storeId === terminal.store_id && (request.query.scope === 'store' || p.terminalId === terminal.id);
      if (!p || !visible) throw new ApiError(404, 'not_found', 'No such payment.');
      await scopeOf(request, reply, request.query.scope);
      return saleDetail(db, service.storeOf(terminal), p, terminal.id);
    },
  );
};
