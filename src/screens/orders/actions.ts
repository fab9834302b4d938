// What the cashier does with saved orders: queue (offline) or park (any time) the cart, and reopen a saved
// order into the cart. Nothing here drops an order: the current cart is parked before another order is
// loaded, and every change resolves only once it is on disk (errors carry a message for the screen).
import { sale } from '../../lib/checkout/cart.svelte';
import { checkout } from '../../lib/checkout/manager.svelte';
import { unresolvedAttempt } from '../../lib/offline/journal';
import { orderQueue } from '../../lib/offline/queue';
import { toCartLines } from '../../lib/offline/sale-orders';
import type { OrderRecord } from '../../lib/offline/types';

function cartLines() {
  return sale.lines.map((l) => ({ ...l, unitPrice: { ...l.unitPrice } }));
}

/** Saves the cart as a queued ("pay later", offline) or parked order and starts a new sale. */
export async function saveSaleForLater(kind: 'queued' | 'parked'): Promise<OrderRecord> {
  if (checkout.locked) throw new Error('A payment is in progress: finish it first.');
  if (sale.lines.length === 0) throw new Error('The cart is empty.');
  const id = sale.orderId;
  if (await unresolvedAttempt(id)) throw new Error('A payment for this order is still being checked; it cannot be put aside now.');
  const input = { id, lines: cartLines() };
  const rec = kind === 'queued' ? await orderQueue.queue(input) : await orderQueue.park(input);
  if (sale.orderId === id) sale.reset();
  return rec;
}

/** Loads a saved order into the cart for editing and payment (or back onto Pay if its payment is open). */
export async function reopenOrder(id: string): Promise<void> {
  if (checkout.locked) throw new Error('A payment is in progress: finish it first.');
  const target = await orderQueue.get(id);
  if (!target) throw new Error('This order is no longer on this tablet.');
  if (target.status === 'paid' || target.status === 'synced') throw new Error('This order is already paid.');
  if (target.total.currency !== sale.currency) {
    throw new Error(`This order is in ${target.total.currency}; the store now sells in ${sale.currency}.`);
  }
  // The sale on screen is another order: keep it as a parked order rather than overwrite it.
  if (sale.orderId !== id && sale.lines.length > 0) await saveSaleForLater('parked');
  checkout.discardPayment();
  if (target.status === 'paying') {
    const open = await unresolvedAttempt(id);
    if (open) {
      sale.restore(id, toCartLines(target.lines));
      checkout.go('sale');
      checkout.resumeAttempt(open);
      return;
    }
    await orderQueue.releasePaying(id, 'open');
  }
  const rec = await orderQueue.reopen(id);
  sale.restore(id, toCartLines(rec.lines));
  checkout.go('sale');
}
