// The checkout manager: which screen is up, which payment attempt is current (a scanned customer code on Pay,
// or a QR shown to the customer on Mpm — one at a time, tied to the sale's order id) and the receipt of the
// last paid sale. Screens read it and call its methods; nothing else changes the route or the current payment.
import type { MpmOption, PaymentView } from '../../shared/api';
import { isOpen, isPaid } from '../../shared/payment';
import { api, onUnauthorized } from '../api/client';
import { paymentEvents } from '../api/events';
import { getToken } from '../api/token';
import { app, revokedNotice } from '../kiosk/app.svelte';
import type { AttemptRecord } from '../offline/types';
import { sale } from './cart.svelte';
import { CpmAttempt, initialFlowState } from './cpm-attempt';
import { kioskJournal, saleTransport, settlePaidOrder } from './kiosk-journal';
import { initialMpmState, MpmAttempt } from './mpm-attempt';
import { buildReceipt, type Receipt } from './receipt';
import { withVendorOverride } from './vendor-override';

export type Route =
  'loading' | 'pair' | 'sale' | 'pay' | 'mpm' | 'paid' | 'settings' | 'diagnostics' | 'orders' | 'attention' | 'dayclose' | 'history';

class CheckoutManager {
  #route = $state<Route>('loading');
  #attempt = $state.raw<CpmAttempt | MpmAttempt | null>(null);
  #receipt = $state.raw<Receipt | null>(null);

  get route(): Route {
    return this.#route;
  }

  /** The scanned-code payment on the Pay screen. */
  get cpm(): CpmAttempt | null {
    return this.#attempt instanceof CpmAttempt ? this.#attempt : null;
  }

  /** The merchant-presented QR on the Mpm screen. */
  get mpm(): MpmAttempt | null {
    return this.#attempt instanceof MpmAttempt ? this.#attempt : null;
  }

  /** What the Paid screen shows, frozen when the payment succeeded. */
  get receipt(): Receipt | null {
    return this.#receipt;
  }

  /** An attempt is in flight or waiting: navigation away from its screen is blocked. */
  get locked(): boolean {
    return this.#attempt?.locked ?? false;
  }

  /** On the Sale screen with no payment: a journaled attempt may be picked up. */
  get idle(): boolean {
    return this.#route === 'sale' && !this.#attempt;
  }

  /** The order whose payment a screen follows (the journal leaves it to that screen). */
  get orderInPayment(): string | undefined {
    return this.#attempt?.state.orderId;
  }

  go(route: Route): void {
    if (this.locked && route !== 'pay' && route !== 'mpm') return;
    this.#route = route;
  }

  /** Loads the terminal; the Pair screen when it is not (or no longer) paired or cannot be loaded. */
  async boot(): Promise<void> {
    const result = await app.boot();
    if (result === 'revoked') return this.unpair(revokedNotice());
    if (result !== 'ready') this.#route = 'pair';
    else if (this.#route === 'loading' || this.#route === 'pair') this.#route = 'sale';
  }

  /** A pairing link was opened: the Pair screen takes it. */
  showPairing(): void {
    this.#route = 'pair';
  }

  unpair(notice: string | null = null): void {
    this.#drop();
    app.forget(notice);
    this.#route = 'pair';
  }

  /** "Wallet — scan customer code": the Pay screen with a new attempt for the sale's order. */
  payByCode(): CpmAttempt | null {
    const terminal = app.terminal;
    if (!terminal || !this.#canPay()) return null;
    this.#drop();
    const orderId = sale.orderId;
    const state = $state(initialFlowState(orderId, sale.total));
    const attempt = new CpmAttempt(state, {
      // The cashier's "Not <wallet>?" choice (vendor-override.ts) is applied outside the journal, so the
      // journal records the request exactly as sent.
      api: withVendorOverride(saleTransport(orderId, sale.lines)),
      events: paymentEvents,
      acceptedVendors: terminal.store.acceptedVendors.map((v) => v.vendor),
    });
    this.#show(attempt, 'pay');
    return attempt;
  }

  /** "Show QR to customer" with one of the store's options. */
  showQr(option: MpmOption): MpmAttempt | null {
    const attempt = this.#qrAttempt(option);
    attempt?.start();
    return attempt;
  }

  /** After a reload: show the QR already made for this sale's order instead of making another. */
  resumeQr(p: PaymentView): boolean {
    const options = app.terminal?.store.mpmOptions ?? [];
    const option = options.find((o) => o.provider === p.provider && (!o.vendor || o.vendor === p.vendor)) ?? {
      provider: p.provider,
      ...(p.vendor ? { vendor: p.vendor } : {}),
      label: 'QR code',
    };
    return this.#qrAttempt(option)?.follow(p) ?? false;
  }

  /**
   * Follows a journaled attempt of the cart's order on the Pay screen ("Checking payment…" until known). A QR
   * (MPM) payment that is still open is handed to the Mpm screen once located.
   */
  resumeAttempt(rec: AttemptRecord): boolean {
    if (rec.orderId !== sale.orderId) return false;
    const attempt = this.payByCode();
    if (!attempt) return false;
    const locate = async (): Promise<PaymentView | null> => {
      const p = await kioskJournal.locate(api, rec);
      if (p && p.mode === 'mpm' && isOpen(p.status) && this.#attempt === attempt) {
        this.#drop(); // the disposed attempt ignores this answer
        this.resumeQr(p);
      }
      return p;
    };
    return attempt.resume(rec, locate);
  }

  /** The current payment succeeded: freeze the receipt, clear the cart, show it. */
  finishPaid(): void {
    const payment = this.#attempt?.state.payment;
    if (!payment || !isPaid(payment.status) || !this.showReceipt(payment)) return;
    this.#drop();
  }

  /** A paid payment of the cart's order: the receipt, then the cart is cleared so it can never be charged again. */
  showReceipt(payment: PaymentView): boolean {
    if (!app.terminal) return false;
    this.#receipt = buildReceipt(app.terminal, sale.lines, payment);
    settlePaidOrder(payment.orderId, payment.id);
    sale.reset();
    this.#route = 'paid';
    return true;
  }

  /** Back to the sale with the cart as it was (cancelled, or nothing was attempted). */
  leavePayment(): boolean {
    if (this.locked) return false;
    this.#drop();
    this.#route = 'sale';
    return true;
  }

  /** Drops a payment that is no longer on screen (e.g. before another order is loaded into the cart). */
  discardPayment(): boolean {
    if (this.locked) return false;
    this.#drop();
    return true;
  }

  startNewSale(): void {
    sale.reset();
    this.#receipt = null;
    this.#route = 'sale';
  }

  /** The network is back: the current attempt resends (same key) or checks at once. */
  wake(): void {
    this.#attempt?.wake();
  }

  #canPay(): boolean {
    return sale.lines.length > 0 && !sale.overMax && !this.locked;
  }

  #qrAttempt(option: MpmOption): MpmAttempt | null {
    if (!app.terminal || !this.#canPay()) return null;
    this.#drop();
    const orderId = sale.orderId;
    const state = $state(initialMpmState(orderId, sale.total, option));
    // Journaled like a scanned-code payment (written before the first send), so a reload or crash finds it.
    const attempt = new MpmAttempt(state, { api: saleTransport(orderId, sale.lines), events: paymentEvents });
    this.#show(attempt, 'mpm');
    return attempt;
  }

  #show(attempt: CpmAttempt | MpmAttempt, route: Route): void {
    this.#attempt = attempt;
    this.#route = route;
  }

  #drop(): void {
    this.#attempt?.dispose();
    this.#attempt = null;
  }
}

export const checkout = new CheckoutManager();

paymentEvents.onState((s) => {
  if (s === 'unauthorized' && getToken()) checkout.unpair(revokedNotice());
});
// Any call refused for the token (a manager revoked this tablet): the same way back, at once.
onUnauthorized(() => {
  if (getToken()) checkout.unpair(revokedNotice());
});
