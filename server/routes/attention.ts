// GET /api/attention — the "Needs attention" list (issue 4): this terminal's payments the reconciler could
// not settle on its own or that staff must look at (late payment, amount mismatch, provider silent), each
// with why, since when, and which staff actions make sense. Changes to the flag also arrive over SSE.
import type { FastifyInstance } from 'fastify';
import type { PaymentView } from '../../src/shared/api.ts';
import { attentionMessage, staffActions, type StaffAction } from '../payments/attention.ts';
import { toPaymentView } from '../payments/view.ts';
import { listNeedingAttention } from '../store/payments.ts';

export interface AttentionItem {
  payment: PaymentView;
  reason: string;
  message: string;
  since: string | null;
  /** Provider's transaction id and our last scheduled check: what is known while it is unresolved. */
  providerRef: string | null;
  nextCheckAt: string | null;
  actions: StaffAction[];
}

export async function attentionRoutes(app: FastifyInstance): Promise<void> {
  app.get('/attention', async (request): Promise<{ items: AttentionItem[] }> => {
    const payments = await listNeedingAttention(app.kiosk.db, request.terminal!.id);
    return {
      items: payments.map((p) => ({
        payment: toPaymentView(p),
        reason: p.attentionReason ?? 'unspecified',
        message: attentionMessage(p.attentionReason),
        since: p.attentionAt,
        providerRef: p.providerRef,
        nextCheckAt: p.nextCheckAt,
        actions: staffActions(p.status),
      })),
    };
  });
}
