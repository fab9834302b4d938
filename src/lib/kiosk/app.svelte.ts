// App shell state: which screen is up, what the proxy told us about this terminal, and the push connection.
import type { TerminalInfo } from '../../shared/api';
import { formatMoney, type Money } from '../../shared/money';
import { api } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { paymentEvents, type ConnectionState } from '../api/events';
import { clearCredentials, getToken } from '../api/token';
import { sale } from '../checkout/cart.svelte';
import type { PaymentFlowMachine } from '../checkout/attempt-machine';
import type { MpmFlowMachine } from '../checkout/mpm-machine';
import type { Receipt } from '../checkout/receipt';

export type Route = 'loading' | 'pair' | 'sale' | 'pay' | 'mpm' | 'paid' | 'settings' | 'diagnostics' | 'orders' | 'attention';

const TERMINAL_CACHE_KEY = 'kiosk.terminalInfo';

function readCache(): TerminalInfo | null {
  try {
    const raw = localStorage.getItem(TERMINAL_CACHE_KEY);
    return raw ? (JSON.parse(raw) as TerminalInfo) : null;
  } catch {
    return null;
  }
}

class AppState {
  route = $state<Route>('loading');
  terminal = $state<TerminalInfo | null>(null);
  connection = $state<ConnectionState>('idle');
  /** Shown on the Pair screen when a stored pairing stopped working. */
  pairNotice = $state<string | null>(null);
  /** Set when the terminal info came from cache because the proxy could not be reached. */
  offlineNotice = $state<string | null>(null);
  flow = $state.raw<PaymentFlowMachine | null>(null);
  /** The merchant-presented QR being shown (Mpm screen). */
  mpm = $state.raw<MpmFlowMachine | null>(null);
  receipt = $state<Receipt | null>(null);

  /** An attempt is in flight or waiting: navigation away from Pay is blocked. */
  locked: boolean = $derived((this.flow?.locked ?? false) || (this.mpm?.locked ?? false));

  go(route: Route): void {
    if (this.locked && route !== 'pay' && route !== 'mpm') return;
    this.route = route;
  }

  money(m: Money): string {
    return formatMoney(m, this.terminal?.store.locale ?? 'en-US');
  }

  /** Loads terminal info with the stored token; falls back to the cached copy when the proxy is unreachable. */
  async boot(): Promise<void> {
    if (!getToken()) {
      this.route = 'pair';
      return;
    }
    try {
      this.applyTerminal(await api.terminal());
      this.offlineNotice = null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.unpair('This tablet is no longer paired (the proxy did not accept its token). Pair it again.');
        return;
      }
      const cached = readCache();
      if (!cached) {
        this.offlineNotice = describeError(err);
        this.route = 'pair';
        return;
      }
      this.offlineNotice = 'Working from saved store settings: the payment server cannot be reached.';
      this.applyTerminal(cached);
    }
    paymentEvents.start();
    if (this.route === 'loading' || this.route === 'pair') this.route = 'sale';
  }

  private applyTerminal(info: TerminalInfo): void {
    this.terminal = info;
    sale.configure(info.store.currency, info.store.maxAmount.value);
    try {
      localStorage.setItem(TERMINAL_CACHE_KEY, JSON.stringify(info));
    } catch {
      // storage full or disabled: only the offline start suffers
    }
  }

  /** Terminal info for another store (demo store switch): prices, currency and wallets follow it. */
  useTerminal(info: TerminalInfo): void {
    this.applyTerminal(info);
  }

  unpair(notice: string | null = null): void {
    paymentEvents.stop();
    clearCredentials();
    try {
      localStorage.removeItem(TERMINAL_CACHE_KEY);
    } catch {
      // ignore
    }
    this.terminal = null;
    this.flow?.dispose();
    this.flow = null;
    this.mpm?.dispose();
    this.mpm = null;
    this.pairNotice = notice;
    this.route = 'pair';
  }
}

export const app = new AppState();

paymentEvents.onState((s) => {
  app.connection = s;
  if (s === 'unauthorized' && getToken()) {
    app.unpair('This tablet is no longer paired (the proxy did not accept its token). Pair it again.');
  }
});
