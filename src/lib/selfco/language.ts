// The customer's language choice on the attract screen: the top layer of the kiosk's language (customer →
// cashier → store → browser, src/lib/i18n/locale.svelte.ts). Cleared for the next customer.
import { locale, type Locale } from '../i18n/locale.svelte';

export type KioskLocale = Locale;

/** Each language named in itself: a customer looks for their own. */
export const LANGUAGES: readonly { locale: KioskLocale; name: string }[] = [
  { locale: 'en', name: 'English' },
  { locale: 'zh-CN', name: '中文' },
  { locale: 'ar', name: 'العربية' },
];

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
