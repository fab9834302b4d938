// Upsert rules for kiosk orders (POST /api/orders), idempotent by (terminal, client order id):
// - new id → 201, row created;
// - same id + same body → 200 with the stored order (a replay: a retry whose answer was lost, a second tab);
// - same id + different body → the newer body replaces the stored one (200), unless the order is already
//   paid (409 order_already_paid: nothing about a paid order may change, except the one upload that marks it
//   paid) or a payment for it is open and the lines/total would change (409 order_has_open_payment: the
//   charge in flight was for the old total);
// - status "paid" is only believed when this proxy holds a paid payment for the order of exactly the total
//   (else 409 order_not_paid): the tablet's word alone must never make an order look settled.
import type { Kysely } from 'kysely';
import { isOpen, isPaid } from '../../src/shared/payment.ts';
import type { OrderUpsertRequest, OrderView } from '../../src/shared/orders.ts';
import { ApiError } from '../payments/api-error.ts';
import type { Database } from '../store/schema.ts';
import { listOrderPayments } from '../store/payments.ts';
import { findOrder, insertOrderIfAbsent, orderBodyHash, replaceOrder, toOrderView, type OrdersTable } from '../store/orders.ts';

export type UpsertOutcome = 'created' | 'replayed' | 'updated';

interface PaymentFacts {
  paid: boolean;
  paidTotal: number | null;
  open: boolean;
}

async function paymentFacts(db: Kysely<Database>, terminalId: string, orderId: string): Promise<PaymentFacts> {
  const payments = await listOrderPayments(db, terminalId, orderId);
  const paid = payments.find((p) => isPaid(p.status));
  return { paid: !!paid, paidTotal: paid ? paid.amount.value : null, open: payments.some((p) => isOpen(p.status)) };
}

function sameContent(row: OrdersTable, o: OrderUpsertRequest): boolean {
  return row.lines_json === JSON.stringify(o.lines) && Number(row.total_value) === o.total.value && row.currency === o.total.currency;
}

export async function upsertOrder(
  db: Kysely<Database>,
  terminalId: string,
  o: OrderUpsertRequest,
): Promise<{ order: OrderView; outcome: UpsertOutcome }> {
  const hash = orderBodyHash(o);
  const facts = await paymentFacts(db, terminalId, o.id);
  if (o.status === 'paid' && facts.paidTotal !== o.total.value) {
    throw new ApiError(
      409,
      'order_not_paid',
      facts.paid
        ? 'The payment recorded for this order is for a different amount; the order stays unpaid here.'
        : 'The payment server has no completed payment for this order, so it cannot be marked paid.',
    );
  }
  if (await insertOrderIfAbsent(db, terminalId, o, hash)) {
    return { order: toOrderView((await findOrder(db, terminalId, o.id))!), outcome: 'created' };
  }
  // Compare-and-set loop: a concurrent writer (another tab, a retry) changing the row between our read and
  // our write makes the write miss; we re-read and decide again rather than overwrite blindly.
  for (let i = 0; i < 3; i++) {
    const row = (await findOrder(db, terminalId, o.id))!;
    if (row.body_hash === hash) return { order: toOrderView(row), outcome: 'replayed' };
    // The first "paid" upload is accepted even if it carries lines edited offline after an earlier upload:
    // its total was checked against the payment above, so it is the version that was actually charged.
    const settling = o.status === 'paid' && row.status !== 'paid';
    if ((row.status === 'paid' || facts.paid) && !settling) {
      throw new ApiError(409, 'order_already_paid', 'This order is already paid; it cannot be changed.', { order: toOrderView(row) });
    }
    if (facts.open && !sameContent(row, o)) {
      throw new ApiError(409, 'order_has_open_payment', 'A payment for this order is in progress; its lines cannot change until it ends.', {
        order: toOrderView(row),
      });
    }
    if (await replaceOrder(db, terminalId, o, hash, row.body_hash)) {
      return { order: toOrderView((await findOrder(db, terminalId, o.id))!), outcome: 'updated' };
    }
  }
  throw new ApiError(409, 'order_conflict', 'This order is being changed from elsewhere at the same time; try again.');
}
