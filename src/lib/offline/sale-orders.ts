// The bridge between the cart being rung up and a saved order: converting lines both ways, and making sure a
// reopened order's saved lines equal what is about to be charged (the proxy only accepts "paid" for an order
// whose total equals the payment, and a queued order must never show stale lines after it was paid).
import type { Money } from '../../shared/money';
import type { OrderLine } from '../../shared/orders';
import { orderQueue, OrderStateError } from './queue';
import { unresolvedAttempt } from './journal';
import { toOrderLines, type LineInput } from './orders';
import { m } from '../../paraglide/messages.js';

export interface CartLineLike {
  id: string;
  sku: string | null;
  name: string;
  unitPrice: Money;
  qty: number;
}

/** A saved order's lines as cart lines (fresh line ids: they are local to the cart). */
export function toCartLines(lines: readonly OrderLine[], newId: () => string = () => crypto.randomUUID()): CartLineLike[] {
  return lines.map((l) => ({ id: newId(), sku: l.sku ?? null, name: l.name, unitPrice: { ...l.unitPrice }, qty: l.quantity }));
}

export function sameLines(a: readonly OrderLine[], b: readonly OrderLine[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Before paying order `id`: if it is a saved order, store the lines being charged. Throws when the order is
 * already paid here (the payment must not be sent). Orders that were never saved need nothing.
 */
export async function syncOrderLines(id: string, lines: readonly LineInput[]): Promise<void> {
  const order = await orderQueue.get(id);
  if (!order) return;
  if (order.status === 'paid' || order.status === 'synced') {
    throw new OrderStateError(id, order.status, m.apierr_order_paid_here());
  }
  if (order.status === 'paying') {
    // An attempt is in flight: the journal refuses the new one. A stale flag (its attempt has ended) is cleared.
    if (await unresolvedAttempt(id)) return;
    await orderQueue.releasePaying(id, 'open');
  }
  if (!sameLines(order.lines, toOrderLines(lines))) await orderQueue.update({ id, lines });
}
