// One sale as the history's detail screen shows it (issue 11, item 2): the order's lines, the money, the
// refunds and what is left to refund, and the timeline — every payment_events row (created, sent, pending,
// notification, poll, reconciler…), each refund, and each audited staff action, oldest first.
import type { Kysely } from 'kysely';
import type { PaymentDetail, SaleLine, TimelineEntry } from '../../src/shared/api.ts';
import { listAudit } from '../store/audit.ts';
import { listPaymentEvents } from '../store/events.ts';
import { findOrder } from '../store/orders.ts';
import type { Payment } from '../store/payments.ts';
import { listPaymentRefunds } from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import type { StoreConfig } from '../store/store-config.ts';
import { toRefundView } from './refund-settle.ts';
import { actionsAt } from './staff-reach.ts';
import { toHistoryPayment } from './view.ts';

// PIN attempts are security records, not part of the sale's story (they stay in the audit log).
const SALE_ACTIONS = new Set(['recheck', 'void', 'refund', 'acknowledge', 'cancel']);

async function saleLines(db: Kysely<Database>, p: Payment): Promise<SaleLine[]> {
  const order = await findOrder(db, p.terminalId, p.orderId);
  if (!order) return [];
  const lines = JSON.parse(order.lines_json) as { sku?: string | null; name: string; quantity: number; unitPrice: SaleLine['unitPrice'] }[];
  return lines.map((l) => ({ sku: l.sku ?? null, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice }));
}

/** Who was signed in when the sale was made: the id is on the payment, the name as it was then on its first event. */
function takenBy(staffId: string | null, events: { payload: unknown }[]): { id: string; name: string } | null {
  if (!staffId) return null;
  const recorded = (events[0]?.payload as { staff?: { id?: string; name?: string } } | null)?.staff;
  return { id: staffId, name: recorded?.id === staffId && recorded.name ? recorded.name : staffId };
}

/** `viewerTerminalId`: the till asking — another till's sale offers only what may be done from here. */
export async function saleDetail(db: Kysely<Database>, store: StoreConfig, p: Payment, viewerTerminalId: string): Promise<PaymentDetail> {
  const [events, refunds, audit, lines, terminal] = await Promise.all([
    listPaymentEvents(db, p.id),
    listPaymentRefunds(db, p.id),
    listAudit(db, { paymentId: p.id }),
    saleLines(db, p),
    db.selectFrom('terminals').select('name').where('id', '=', p.terminalId).executeTakeFirst(),
  ]);
  const timeline: TimelineEntry[] = [
    ...events.map((e) => ({
      at: e.createdAt,
      kind: 'status' as const,
      source: e.source,
      from: e.from,
      to: e.to,
      applied: e.applied,
      staff: null,
    })),
    ...refunds.map((r) => ({
      at: r.createdAt,
      kind: 'refund' as const,
      source: 'refund',
      from: null,
      to: r.status,
      applied: r.status !== 'failed',
      amount: r.amount,
      staff: audit.find((a) => a.refundId === r.id && a.staff)?.staff?.name ?? null,
    })),
    ...audit
      .filter((a) => SALE_ACTIONS.has(a.action))
      .map((a) => ({
        at: a.at,
        kind: 'staff' as const,
        source: a.action,
        from: null,
        to: a.outcome,
        applied: a.outcome !== 'refused',
        ...(a.amount ? { amount: a.amount } : {}),
        staff: a.staff?.name ?? null,
      })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const committed = refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount.value, 0);
  return {
    payment: toHistoryPayment(p),
    store: { name: store.name, address: store.address ?? null, taxId: store.taxId ?? null },
    terminalName: terminal?.name ?? null,
    lines,
    takenBy: takenBy(p.staffId, events),
    refunds: refunds.map(toRefundView),
    refundable: { value: Math.max(0, p.amount.value - committed), currency: p.amount.currency },
    actions: actionsAt(viewerTerminalId, p),
    timeline,
  };
}
