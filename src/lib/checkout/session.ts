// Moves a sale between Sale → Pay → Paid. One payment flow at a time, tied to the sale's order id.
import { api } from '../api/client';
import { paymentEvents } from '../api/events';
import { app } from '../kiosk/app.svelte';
import { createPaymentFlow } from './attempt.svelte';
import { sale } from './cart.svelte';
import { buildReceipt } from './receipt';

export function beginPayment(): boolean {
  const terminal = app.terminal;
  if (!terminal || sale.lines.length === 0 || sale.overMax || app.locked) return false;
  app.flow?.dispose();
  app.flow = createPaymentFlow(sale.orderId, sale.total, {
    api,
    events: paymentEvents,
    acceptedVendors: terminal.store.acceptedVendors.map((v) => v.vendor),
  });
  app.route = 'pay';
  return true;
}

/** The payment succeeded: freeze the receipt, then clear the cart so the paid order can never be charged again. */
export function finishPaid(): void {
  const flow = app.flow;
  const payment = flow?.state.payment;
  if (!flow || !payment || !app.terminal) return;
  app.receipt = buildReceipt(app.terminal, sale.lines, payment);
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
