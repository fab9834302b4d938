// Moves a sale between Sale → Pay → Paid. One payment flow at a time, tied to the sale's order id.
//
// What survives a reload, and where (one mechanism, two stores):
// - the cart being rung up, with its order id: localStorage 'kiosk.sale' (cart.svelte.ts);
// - every payment attempt, journaled before its first send: IndexedDB (attempt-journal.ts);
// - queued / parked / reopened orders: IndexedDB (src/lib/offline/queue.ts).
// On boot the journal decides: an attempt for the cart's order that is unresolved (or paid) puts the kiosk
// back on the Pay screen, "Checking payment…" until the proxy says where it is; other unresolved attempts are
// re-read in the background and again whenever the proxy becomes reachable. Only when IndexedDB is unusable
// does the kiosk fall back to asking the proxy about the cart's order directly.
import type { PaymentView } from '../../shared/api';
import { isOpen, isPaid, type PaymentStatus } from '../../shared/payment';
import { api } from '../api/client';
import { paymentEvents } from '../api/events';
import { getToken } from '../api/token';
import { app } from '../kiosk/app.svelte';
import { connection } from '../kiosk/connection.svelte';
import { holdUpdates, releaseUpdates } from '../kiosk/update.svelte';
import { attemptsForOrder } from '../offline/journal';
import { orderQueue } from '../offline/queue';
import type { AttemptRecord } from '../offline/types';
import { AttemptJournal, journaledTransport } from './attempt-journal';
import { createPaymentFlow, type PaymentFlowMachine } from './attempt.svelte';
import { sale } from './cart.svelte';
import { resumeMpm } from './mpm-session';
import { buildReceipt } from './receipt';
import { withVendorOverride } from './vendor-override';
import { syncOrderLines } from '../offline/sale-orders';

/** The app-wide payment journal. MPM flows use it too: `journaledTransport(api, kioskJournal)`. */
export const kioskJournal = new AttemptJournal({
  queue: orderQueue,
  hold: () => holdUpdates('payment'),
  release: () => releaseUpdates('payment'),
  latest: (paymentId) => paymentEvents.latest(paymentId),
});

/** The proxy client with journaling: use this (not `api`) for anything that creates a payment. */
export const journaledApi = journaledTransport(api, kioskJournal);

export function beginPayment(): PaymentFlowMachine | null {
  const terminal = app.terminal;
  if (!terminal || sale.lines.length === 0 || sale.overMax || app.locked) return null;
  app.flow?.dispose();
  const orderId = sale.orderId;
  const lines = sale.lines.map((l) => ({ ...l, unitPrice: { ...l.unitPrice } }));
  const flow = createPaymentFlow(orderId, sale.total, {
    // A reopened order's edited lines are saved before its payment is journaled, so the proxy's paid order
    // and the amount charged always match.
    // The cashier's "Not <wallet>?" choice (vendor-override.ts) is applied outside the journal, so the
    // journal records the request exactly as sent.
    api: withVendorOverride(journaledTransport(api, kioskJournal, { prepare: () => syncOrderLines(orderId, lines) })),
    events: paymentEvents,
    acceptedVendors: terminal.store.acceptedVendors.map((v) => v.vendor),
  });
  app.flow = flow;
  app.route = 'pay';
  return flow;
}

/** The order was paid (CPM or MPM): it leaves the queue (idempotent; unknown orders are ignored). */
export function settlePaidOrder(orderId: string, paymentId: string): void {
  void orderQueue.markPaid(orderId, paymentId).catch((err: unknown) => console.warn('order not marked paid', err));
}

/** The payment succeeded: freeze the receipt, then clear the cart so the paid order can never be charged again. */
export function finishPaid(): void {
  const flow = app.flow;
  const payment = flow?.state.payment;
  if (!flow || !payment || !app.terminal) return;
  app.receipt = buildReceipt(app.terminal, sale.lines, payment);
  settlePaidOrder(payment.orderId, payment.id);
  sale.reset();
  flow.dispose();
  app.flow = null;
  app.route = 'paid';
}

/** Back to the sale with the cart as it was (cancelled, or nothing was attempted). */
export function leavePay(): boolean {
  if (app.flow?.locked) return false;
  app.flow?.dispose();
  app.flow = null;
  app.route = 'sale';
  return true;
}

export function startNewSale(): void {
  sale.reset();
  app.receipt = null;
  app.route = 'sale';
}

/**
 * Follows a journaled attempt of the cart's order on the Pay screen ("Checking payment…" until known). A QR
 * (MPM) payment that is still open is handed to the Mpm screen once located.
 */
export function resumeAttempt(rec: AttemptRecord): boolean {
  if (rec.orderId !== sale.orderId) return false;
  const locate = async (): Promise<PaymentView | null> => {
    const p = await kioskJournal.locate(api, rec);
    if (p && p.mode === 'mpm' && isOpen(p.status) && app.flow) {
      app.flow.dispose(); // the disposed flow ignores this answer
      app.flow = null;
      resumeMpm(p);
    }
    return p;
  };
  return beginPayment()?.resume(rec, locate) ?? false;
}

let journalWired = false;

function wireJournal(): void {
  if (journalWired) return;
  journalWired = true;
  // Whichever path learns an outcome first (SSE here, polls and create answers in the transport) records it.
  paymentEvents.subscribe((p) => void kioskJournal.observe(p));
  connection.onRecover(() => {
    app.flow?.wake();
    void kioskJournal.resolveAll(api, app.flow?.state.orderId ?? app.mpm?.state.orderId);
  });
  // The browser says the network is gone: drop the event stream now rather than trust a connection that
  // may look open for another 40 s; when it is back, reconnect at once (Last-Event-ID replays what was missed)
  // and end the flow's backoff so its resend or check goes out immediately.
  globalThis.addEventListener?.('offline', () => paymentEvents.stop());
  globalThis.addEventListener?.('online', () => {
    if (getToken() && app.terminal) paymentEvents.start();
    app.flow?.wake();
  });
}

/** Starts the kiosk with the stored pairing, then picks up any payment that was in flight. */
export async function bootKiosk(): Promise<void> {
  wireJournal();
  await app.boot();
  if (getToken()) void orderQueue.nudge();
  await resumePayments();
}

const idle = () => app.route === 'sale' && !app.flow && !app.mpm;

async function resumePayments(): Promise<void> {
  if (!app.terminal) return;
  let open: AttemptRecord[] = [];
  try {
    open = await kioskJournal.holdIfOpen();
  } catch {
    // IndexedDB unusable (storage health shows why): only the proxy can tell us about the cart's order.
  }
  const cartOrder = sale.lines.length > 0 ? sale.orderId : null;
  void kioskJournal.resolveAll(api, cartOrder ?? undefined);
  if (!cartOrder || !idle()) return;
  const journaled = open.find((a) => a.orderId === cartOrder)
    // Paid, but the receipt never showed (crash between the answer and the screen): show it now.
    ?? (await attemptsForOrder(cartOrder).catch(() => [])).find((a) => a.paymentId && isPaid(a.status as PaymentStatus));
  if (journaled) {
    if (idle() && sale.orderId === cartOrder) resumeAttempt(journaled);
    return;
  }
  await askProxyAboutCart(cartOrder);
}

/** No journal entry for the cart's order (or no journal): the proxy may still hold a payment for it. */
async function askProxyAboutCart(orderId: string): Promise<void> {
  const terminal = app.terminal;
  let payments: PaymentView[];
  try {
    payments = await api.listOrderPayments(orderId);
  } catch {
    return; // offline: a new attempt would still be refused (409) and then followed by the Pay screen
  }
  if (!terminal || !idle() || sale.orderId !== orderId) return;
  const paid = payments.find((p) => isPaid(p.status));
  if (paid) {
    app.receipt = buildReceipt(terminal, sale.lines, paid);
    settlePaidOrder(orderId, paid.id);
    sale.reset();
    app.route = 'paid';
    return;
  }
  const open = payments.find((p) => isOpen(p.status));
  if (open?.mode === 'mpm') resumeMpm(open);
  else if (open) beginPayment()?.follow(open);
}
