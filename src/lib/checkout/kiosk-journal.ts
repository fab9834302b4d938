// The app-wide payment journal and the transport every payment of a sale goes through (CPM and MPM alike).
//
// What survives a reload, and where (one mechanism, two stores):
// - the cart being rung up, with its order id: localStorage 'kiosk.sale' (cart.svelte.ts);
// - every payment attempt, journaled before its first send: IndexedDB (attempt-journal.ts);
// - queued / parked / reopened orders: IndexedDB (src/lib/offline/queue.ts).
import { api } from '../api/client';
import { paymentEvents } from '../api/events';
import { holdUpdates, releaseUpdates } from '../kiosk/update.svelte';
import { orderQueue } from '../offline/queue';
import { syncOrderLines } from '../offline/sale-orders';
import { AttemptJournal, journaledTransport } from './attempt-journal';
import type { PaymentTransport } from './attempt-types';
import type { CartLine } from './cart-math';

export const kioskJournal = new AttemptJournal({
  queue: orderQueue,
  hold: () => holdUpdates('payment'),
  release: () => releaseUpdates('payment'),
  // A push can arrive before the create answer names the payment: the journal records it once it does.
  latest: (paymentId) => paymentEvents.latest(paymentId),
});

/**
 * The proxy client for one sale's payments: each attempt is journaled before its first send. A reopened order's
 * edited lines are saved before its payment is journaled, so the proxy's paid order and the amount charged
 * always match.
 */
export function saleTransport(orderId: string, lines: readonly CartLine[]): PaymentTransport {
  const copy = lines.map((l) => ({ ...l, unitPrice: { ...l.unitPrice } }));
  return journaledTransport(api, kioskJournal, { prepare: () => syncOrderLines(orderId, copy) });
}

/** The order was paid (CPM or MPM): it leaves the queue (idempotent; unknown orders are ignored). */
export function settlePaidOrder(orderId: string, paymentId: string): void {
  void orderQueue.markPaid(orderId, paymentId).catch((err: unknown) => console.warn('order not marked paid', err));
}
