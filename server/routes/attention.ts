// GET /api/attention — the "Needs attention" list (issue 4): this terminal's payments the reconciler could
// not settle on its own or that staff must look at (late payment, amount mismatch, provider silent, refund
// or void unconfirmed), each with why, since when, its refunds, and the staff actions that exist for it —
// with the route to call and whether it needs a supervisor PIN. Changes to the flag also arrive over SSE.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AttentionItem } from '../../src/shared/api.ts';
import * as Api from '../../src/shared/api-schemas.ts';
import { actionRoute, attentionMessage, staffActions } from '../payments/attention.ts';
import { toRefundView } from '../payments/refund-settle.ts';
import { toPaymentView } from '../payments/view.ts';
import { listNeedingAttention } from '../store/payments.ts';
import { listOpenDifferences } from '../store/recon-differences.ts';
import { openStaffCalls, toStaffCallView } from '../store/self-checkout.ts';
import { listPaymentRefunds } from '../store/refunds.ts';

export type { AttentionItem } from '../../src/shared/api.ts';

export const attentionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/attention', { schema: { response: { 200: Api.AttentionList } } }, async (request) => {
    const { db } = app.kiosk;
    const payments = await listNeedingAttention(db, request.terminal!.id);
    const items: AttentionItem[] = [];
    for (const p of payments) {
      const actions = staffActions(p.status);
      items.push({
        payment: toPaymentView(p),
        reason: p.attentionReason ?? 'unspecified',
        message: attentionMessage(p.attentionReason),
        since: p.attentionAt,
        providerRef: p.providerRef,
        nextCheckAt: p.nextCheckAt,
        actions,
        routes: Object.fromEntries(actions.map((a) => [a, actionRoute(p.id, a)])),
        refunds: (await listPaymentRefunds(db, p.id)).map(toRefundView),
      });
    }
    // Reconciliation differences belong to the store (one may have no payment of ours to hang on).
    const differences = await listOpenDifferences(db, request.terminal!.store_id);
    const staffCalls = (await openStaffCalls(db, request.terminal!.store_id)).map(toStaffCallView);
    return { items, differences, staffCalls };
  });
};
