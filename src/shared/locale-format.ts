// The Intl locale and date format shared by the kiosk (src/lib/i18n/) and the e-receipt page (server/routes/):
// a receipt reads the same on the tablet and on the customer's phone. Money is formatMoney in money.ts.

/**
 * The locale handed to Intl for a language in a store: the store's own (en-NZ) when it speaks that language, so
 * dates keep the store's order; otherwise the language with the store's region (ar-AE), or the language alone.
 */
export function intlLocale(language: string, storeLocale: string | null): string {
  if (!storeLocale) return language;
  try {
    const store = new Intl.Locale(storeLocale);
    if (store.language === new Intl.Locale(language).language) return language.includes('-') ? language : storeLocale;
    const region = store.maximize().region;
    return language === 'ar' && region ? `ar-${region}` : language;
  } catch {
    return language;
  }
}

export type When = string | number | Date;

/** A date and/or time in the store's time zone; `options` as Intl.DateTimeFormat's (default: date and time, short). */
export function formatDateTime(
  when: When,
  intl: string,
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  return new Intl.DateTimeFormat(intl, { timeZone, ...options }).format(new Date(when));
}
