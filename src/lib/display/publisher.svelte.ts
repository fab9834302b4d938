// Kiosk side of the customer display: posts what the customer should see whenever the sale, the payment
// or the screen changes, and answers a display that just opened with the current view.
import { sale } from '../checkout/cart.svelte';
import { checkout } from '../checkout/manager.svelte';
import { app } from '../kiosk/app.svelte';
import { DISPLAY_CHANNEL, isDisplayMessage, type DisplayMessage, type DisplayView } from './protocol';
import { displayViewOf } from './view';
import { locale } from '../i18n/locale.svelte';

function currentView(): DisplayView {
  const t = app.terminal;
  const cpm = checkout.cpm?.state;
  return displayViewOf({
    route: checkout.route,
    storeName: t?.store.name ?? null,
    locale: t?.store.locale ?? 'en-US',
    language: locale.current,
    lines: sale.lines,
    total: sale.total,
    cpm: cpm ? { phase: cpm.phase, amount: cpm.amount, vendor: cpm.vendor } : null,
    mpm: checkout.mpm?.state ?? null,
    receipt: checkout.receipt ? { amount: checkout.receipt.amount, wallet: checkout.receipt.wallet } : null,
  });
}

/** Starts publishing; returns a stop function. A no-op where BroadcastChannel does not exist. */
export function startDisplayPublisher(channelName = DISPLAY_CHANNEL): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(channelName);
  let last: DisplayView | null = null;
  let lastText = '';
  const post = (view: DisplayView) => channel.postMessage({ kind: 'state', view } satisfies DisplayMessage);
  channel.onmessage = (e: MessageEvent) => {
    if (isDisplayMessage(e.data) && e.data.kind === 'hello' && last) post(last);
  };
  const stop = $effect.root(() => {
    $effect(() => {
      const view = currentView();
      // The countdown runs on the display itself: only real changes are posted.
      const text = JSON.stringify(view);
      if (text === lastText) return;
      lastText = text;
      last = view;
      post(view);
    });
  });
  return () => {
    stop();
    channel.close();
  };
}
