// Moves a sale between Sale → Pay → Paid. One payment flow at a time, tied to the sale's order id.
import type { PaymentView } from '../../shared/api';
import { isOpen, isPaid } from '../../shared/payment';
import { api } from '../api/client';
import { paymentEvents } from '../api/events';
import { app } from '../kiosk/app.svelte';
import { createPaymentFlow, type PaymentFlowMachine } from './attempt.svelte';
import { sale } from './cart.svelte';
import { buildReceipt } from './receipt';

export function beginPayment(): PaymentFlowMachine | null {
  const terminal = app.terminal;
  if (!terminal || sale.lines.length === 0 || sale.overMax || app.locked) return null;
  app.flow?.dispose();
  const flow = createPaymentFlow(sale.orderId, sale.total, {
    api,
    events: paymentEvents,
    acceptedVendors: terminal.store.acceptedVendors.map((v) => v.vendor),
  });
  app.flow = flow;
  app.route = 'pay';
  return flow;
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

/** Starts the kiosk with the stored pairing, then picks up the saved sale where its payment really is. */
export async function bootKiosk(): Promise<void> {
  await app.boot();
  await resumeSale();
}

async function resumeSale(): Promise<void> {
  const terminal = app.terminal;
  if (!terminal || sale.lines.length === 0 || app.flow || app.route !== 'sale') return;
  let payments: PaymentView[];
  try {
    payments = await api.listOrderPayments(sale.orderId);
  } catch {
    return; // offline: a new attempt would still be refused (409) and then followed by the Pay screen
  }
  if (app.route !== 'sale' || app.flow) return;
  const paid = payments.find((p) => isPaid(p.status));
  if (paid) {
    app.receipt = buildReceipt(terminal, sale.lines, paid);
    sale.reset();
    app.route = 'paid';
    return;
  }
  const open = payments.find((p) => isOpen(p.status));
  if (open) beginPayment()?.follow(open);
}
