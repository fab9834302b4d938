// Which language the kiosk speaks. The customer's choice on self-checkout wins, then the cashier's choice on
// this tablet (Settings → Language), then the store's default (config/stores/<id>.json "language"), then the
// browser's. paraglide's getLocale() reads this state, so every message call in a template re-renders when it
// changes; <html lang> and dir follow it. Only the language on screen is downloaded (scripts/i18n-split.mjs):
// a newly chosen language shows once its messages have arrived, the one before stays until then.
import { baseLocale, getTextDirection, isLocale, locales, overwriteGetLocale, type Locale } from '../../paraglide/runtime.js';
import { isLoaded, loadLocale } from '../../paraglide/locale-loader.js';
import { browserLocale } from './browser';
import { intlLocale } from '../../shared/locale-format';

const CASHIER_KEY = 'kiosk.language';

function readSaved(): Locale | null {
  try {
    const saved = localStorage.getItem(CASHIER_KEY);
    return saved && isLocale(saved) ? saved : null;
  } catch {
    return null;
  }
}

export class LocaleState {
  /** Chosen by the customer on the self-checkout attract screen; cleared when the mode returns to attract. */
  customer = $state<Locale | null>(null);
  /** Chosen by staff in Settings; kept on this tablet. */
  cashier = $state<Locale | null>(readSaved());
  /** The store's default language, from the terminal info. */
  store = $state<Locale | null>(null);
  /** The store's Intl locale (e.g. en-NZ): its region picks date order and the currency symbol. */
  storeLocale = $state<string | null>(null);
  /** The store's IANA time zone: times are the store's, whatever the tablet's zone. */
  timeZone = $state<string | undefined>(undefined);
  readonly browser: Locale = browserLocale(typeof navigator === 'undefined' ? [] : navigator.languages);

  /** The language the layers ask for; `current` follows once its messages are loaded. */
  readonly wanted: Locale = $derived(this.customer ?? this.cashier ?? this.store ?? this.browser);
  /** The last language whose messages were on hand when it was wanted. */
  #shown = $state<Locale>(baseLocale);
  readonly current: Locale = $derived(isLoaded(this.wanted) ? this.wanted : this.#shown);
  readonly dir: 'ltr' | 'rtl' = $derived(getTextDirection(this.current));

  /**
   * The locale handed to Intl: the store's own (en-NZ) when it speaks the active language, so dates keep the
   * store's order; otherwise the language with the store's region (ar-AE), or the language alone.
   */
  readonly intl: string = $derived(intlLocale(this.current, this.storeLocale));

  readonly available: readonly Locale[] = locales;

  setCashier(locale: Locale | null): void {
    this.cashier = locale;
    try {
      if (locale) localStorage.setItem(CASHIER_KEY, locale);
      else localStorage.removeItem(CASHIER_KEY);
    } catch {
      // storage disabled: the choice lasts until the page reloads
    }
  }

  setStore(language: string | undefined, storeLocale: string, timeZone: string | undefined): void {
    this.store = language && isLocale(language) ? language : null;
    this.storeLocale = storeLocale;
    this.timeZone = timeZone;
  }

  /** Downloads the wanted language's messages (the page waits for this before its first render). */
  async ready(): Promise<void> {
    const wanted = this.wanted;
    try {
      await loadLocale(wanted);
    } catch {
      // offline and not cached: the language shown before stays (English at the very first start)
      return;
    }
    if (this.wanted === wanted) this.#shown = wanted;
  }

  /** Makes paraglide's messages follow this state and keeps <html lang dir> in step. Returns a stop function. */
  install(root: HTMLElement = document.documentElement): () => void {
    overwriteGetLocale(() => this.current);
    return $effect.root(() => {
      $effect(() => {
        if (!isLoaded(this.wanted)) void this.ready();
        else this.#shown = this.wanted;
      });
      $effect(() => {
        root.lang = this.current;
        root.dir = this.dir;
      });
    });
  }
}

export const locale = new LocaleState();
export { baseLocale };
export type { Locale };
