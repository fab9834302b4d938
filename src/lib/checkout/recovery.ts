// Starting the kiosk, and picking up payments that were in flight when it stopped (a reload, a crash, a lost
// tab). On boot the journal decides: an attempt for the cart's order that is unresolved (or paid) puts the kiosk
// back on the Pay screen, "Checking payment…" until the proxy says where it is; other unresolved attempts are
// re-read in the background and again whenever the proxy becomes reachable. Only when IndexedDB is unusable
// does the kiosk fall back to asking the proxy about the cart's order directly.
import type { PaymentView } from '../../shared/api';
import { isOpen, isPaid, type PaymentStatus } from '../../shared/payment';
import { api } from '../api/client';
import { paymentEvents } from '../api/events';
import { getToken } from '../api/token';
import { app, revokedNotice } from '../kiosk/app.svelte';
import { connection } from '../kiosk/connection.svelte';
import { attemptsForOrder } from '../offline/journal';
import { orderQueue } from '../offline/queue';
import type { AttemptRecord } from '../offline/types';
import { sale } from './cart.svelte';
import { kioskJournal } from './kiosk-journal';
import { checkout } from './manager.svelte';

let journalWired = false;

function wireJournal(): void {
  if (journalWired) return;
  journalWired = true;
  // Whichever path learns an outcome first (SSE here, polls and create answers in the transport) records it.
  paymentEvents.subscribe((p) => void kioskJournal.observe(p));
  // Started from saved settings: the first answer from the proxy (stream open, probe recovered) refreshes them
  // and takes the "saved settings" banner down.
  const refreshSettings = () =>
    void app.refreshIfStale().then((r) => {
      if (r === 'revoked') checkout.unpair(revokedNotice());
    });
  paymentEvents.onState((s) => {
    if (s === 'open') refreshSettings();
  });
  connection.onRecover(() => {
    refreshSettings();
    checkout.wake();
    void kioskJournal.resolveAll(api, checkout.orderInPayment);
  });
  // The browser says the network is gone: drop the event stream now rather than trust a connection that
  // may look open for another 40 s; when it is back, reconnect at once (Last-Event-ID replays what was missed)
  // and end the attempt's backoff so its resend or check goes out immediately.
  globalThis.addEventListener?.('offline', () => paymentEvents.stop());
  globalThis.addEventListener?.('online', () => {
    if (getToken() && app.terminal) paymentEvents.start();
    checkout.wake();
  });
}

/** Starts the kiosk with the stored pairing, then picks up any payment that was in flight. */
export async function bootKiosk(): Promise<void> {
  wireJournal();
  await checkout.boot();
  if (getToken()) void orderQueue.nudge();
  await resumePayments();
}

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
  if (!cartOrder || !checkout.idle) return;
  const journaled =
    open.find((a) => a.orderId === cartOrder) ??
    // Paid, but the receipt never showed (crash between the answer and the screen): show it now.
    (await attemptsForOrder(cartOrder).catch(() => [])).find((a) => a.paymentId && isPaid(a.status as PaymentStatus));
  if (journaled) {
    if (checkout.idle && sale.orderId === cartOrder) checkout.resumeAttempt(journaled);
    return;
  }
  await askProxyAboutCart(cartOrder);
}

/** No journal entry for the cart's order (or no journal): the proxy may still hold a payment for it. */
async function askProxyAboutCart(orderId: string): Promise<void> {
  let payments: PaymentView[];
  try {
    payments = await api.listOrderPayments(orderId);
  } catch {
    return; // offline: a new attempt would still be refused (409) and then followed by the Pay screen
  }
  if (!app.terminal || !checkout.idle || sale.orderId !== orderId) return;
  const paid = payments.find((p) => isPaid(p.status));
  if (paid) {
    checkout.showReceipt(paid);
    return;
  }
  const open = payments.find((p) => isOpen(p.status));
  if (open?.mode === 'mpm') checkout.resumeQr(open);
  else if (open) checkout.payByCode()?.follow(open);
}
