// Moves a sale between Sale → Mpm (QR shown to the customer) → Paid, like session.ts does for scanned codes.
// One QR flow at a time, tied to the sale's order id.
import type { MpmOption, PaymentView } from '../../shared/api';
import { isPaid } from '../../shared/payment';
import { api } from '../api/client';
import { paymentEvents } from '../api/events';
import { app } from '../kiosk/app.svelte';
import { sale } from './cart.svelte';
import { createMpmFlow, type MpmFlowMachine } from './mpm.svelte';
import { buildReceipt } from './receipt';
import { journaledTransport } from './attempt-journal';
import { kioskJournal, settlePaidOrder } from './session';
import { syncOrderLines } from '../offline/sale-orders';

/** Test id suffix of an option: `mpm-option-<provider>-<vendor|default>`. */
export function mpmOptionId(o: MpmOption): string {
  return `${o.provider}-${o.vendor ?? 'default'}`;
}

function create(option: MpmOption): MpmFlowMachine | null {
  if (!app.terminal || sale.lines.length === 0 || sale.overMax || app.locked) return null;
  app.flow?.dispose();
  app.flow = null;
  app.mpm?.dispose();
  const orderId = sale.orderId;
  const lines = sale.lines.map((l) => ({ ...l, unitPrice: { ...l.unitPrice } }));
  const flow = createMpmFlow(orderId, sale.total, option, {
    // Journaled like a scanned-code payment (written before the first send), so a reload or crash finds it.
    api: journaledTransport(api, kioskJournal, { prepare: () => syncOrderLines(orderId, lines) }),
    events: paymentEvents,
  });
  app.mpm = flow;
  app.route = 'mpm';
  return flow;
}

/** "Show QR to customer" with one of the store's options. */
export function beginMpm(option: MpmOption): MpmFlowMachine | null {
  const flow = create(option);
  flow?.start();
  return flow;
}

/** After a reload: show the QR already made for this sale's order instead of making another. */
export function resumeMpm(p: PaymentView): boolean {
  const options = app.terminal?.store.mpmOptions ?? [];
  const option = options.find((o) => o.provider === p.provider && (!o.vendor || o.vendor === p.vendor))
    ?? { provider: p.provider, ...(p.vendor ? { vendor: p.vendor } : {}), label: 'QR code' };
  const flow = create(option);
  return flow?.follow(p) ?? false;
}

/** Paid: freeze the receipt, then clear the cart so the paid order can never be charged again. */
export function finishMpmPaid(): void {
  const flow = app.mpm;
  const payment = flow?.state.payment;
  if (!flow || !payment || !isPaid(payment.status) || !app.terminal) return;
  app.receipt = buildReceipt(app.terminal, sale.lines, payment);
  settlePaidOrder(payment.orderId, payment.id);
  sale.reset();
  flow.dispose();
  app.mpm = null;
  app.route = 'paid';
}

/** Back to the sale with the cart as it was (cancelled, or the QR failed and the cashier gave up). */
export function leaveMpm(): boolean {
  if (app.mpm?.locked) return false;
  app.mpm?.dispose();
  app.mpm = null;
  app.route = 'sale';
  return true;
}
