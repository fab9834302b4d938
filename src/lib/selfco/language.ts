// The customer's language choice on the attract screen. One small function on purpose: the app-wide locale
// state (issue 12 "Languages") can take this over by changing only its body.
import { getLocale, locales, setLocale } from '../../paraglide/runtime.js';

export type KioskLocale = (typeof locales)[number];

export const LANGUAGES: readonly { locale: KioskLocale; name: string }[] = [
  { locale: 'en', name: 'English' },
  { locale: 'zh-CN', name: '中文' },
  { locale: 'ar', name: 'العربية' },
];

export function currentLanguage(): KioskLocale {
  return getLocale();
}

/** Switches the messages without a reload (the self-checkout screens re-render on their own key). */
export function chooseLanguage(locale: KioskLocale): void {
  void setLocale(locale, { reload: false });
  document.documentElement.lang = locale;
  document.documentElement.dir = locale === 'ar' ? 'rtl' : 'ltr';
}
