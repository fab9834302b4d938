// App shell state: what the proxy told us about this terminal, and the push connection. Which screen is up and
// which payment is current belong to the checkout manager (src/lib/checkout/manager.svelte.ts).
import type { TerminalInfo } from '../../shared/api';
import type { Money } from '../../shared/money';
import { money as formatMoneyHere } from '../i18n/format';
import { api } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { paymentEvents, type ConnectionState } from '../api/events';
import { clearCredentials, getToken } from '../api/token';
import { sale } from '../checkout/cart.svelte';
import { locale } from '../i18n/locale.svelte';
import { m } from '../../paraglide/messages.js';

/** How boot went: paired and working (maybe from saved settings), or the Pair screen is needed. */
export type BootResult = 'ready' | 'unpaired' | 'revoked' | 'unreachable';

/** Built when shown, so it is in the language of the moment. */
export const revokedNotice = (): string => m.app_revoked_notice();

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
  terminal = $state<TerminalInfo | null>(null);
  connection = $state<ConnectionState>('idle');
  /** Shown on the Pair screen when a stored pairing stopped working. */
  pairNotice = $state<string | null>(null);
  /** Set when the terminal info came from cache because the proxy could not be reached. */
  offlineNotice = $state<string | null>(null);

  money(m: Money): string {
    return formatMoneyHere(m);
  }

  /** Loads terminal info with the stored token; falls back to the cached copy when the proxy is unreachable. */
  async boot(): Promise<BootResult> {
    if (!getToken()) return 'unpaired';
    try {
      this.applyTerminal(await api.terminal());
      this.offlineNotice = null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return 'revoked';
      const cached = readCache();
      if (!cached) {
        this.offlineNotice = describeError(err);
        return 'unreachable';
      }
      this.offlineNotice = m.app_saved_settings();
      this.applyTerminal(cached);
    }
    paymentEvents.start();
    return 'ready';
  }

  /**
   * After a start from saved settings, the first sign that the proxy answers again (the push stream is live or
   * the reachability probe recovers) fetches the terminal afresh: the banner goes only once the settings are
   * really current, and a token revoked meanwhile is noticed then rather than at the next payment.
   */
  async refreshIfStale(): Promise<'fresh' | 'revoked' | 'still-stale'> {
    if (this.offlineNotice === null || !this.terminal) return 'fresh';
    if (this.#refreshing) return this.#refreshing;
    this.#refreshing = (async () => {
      try {
        this.applyTerminal(await api.terminal());
        this.offlineNotice = null;
        return 'fresh' as const;
      } catch (err) {
        return err instanceof ApiError && err.status === 401 ? ('revoked' as const) : ('still-stale' as const);
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }
  #refreshing: Promise<'fresh' | 'revoked' | 'still-stale'> | null = null;

  private applyTerminal(info: TerminalInfo): void {
    this.terminal = info;
    locale.setStore(info.store.language, info.store.locale, info.store.timezone);
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

  /** Forgets the pairing (the checkout manager drops the payment and shows the Pair screen). */
  forget(notice: string | null = null): void {
    paymentEvents.stop();
    clearCredentials();
    try {
      localStorage.removeItem(TERMINAL_CACHE_KEY);
    } catch {
      // ignore
    }
    this.terminal = null;
    this.pairNotice = notice;
  }
}

export const app = new AppState();

paymentEvents.onState((s) => {
  app.connection = s;
});
