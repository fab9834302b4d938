// The customer's language choice on the attract screen: the top layer of the kiosk's language (customer →
// cashier → store → browser, src/lib/i18n/locale.svelte.ts). Cleared for the next customer.
import { m } from '../../paraglide/messages.js';
import { locale, type Locale } from '../i18n/locale.svelte';

export type KioskLocale = Locale;

/** Each language named in itself: a customer looks for their own. */
export function languages(): { locale: KioskLocale; name: string }[] {
  return locale.available.map((l) => ({ locale: l, name: m.language_name({}, { locale: l }) }));
}

export function currentLanguage(): KioskLocale {
  return locale.current;
}

export function chooseLanguage(choice: KioskLocale): void {
  locale.customer = choice;
}

/** The next customer starts in the language staff left the tablet in. */
export function forgetCustomerLanguage(): void {
  locale.customer = null;
}
