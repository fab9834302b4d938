import { matchKioskLanguage } from '../../shared/languages';
import { baseLocale, type Locale } from '../../paraglide/runtime.js';

/** The first of the browser's languages the kiosk speaks (the rules: matchKioskLanguage), else the base language. */
export function browserLocale(preferred: readonly string[]): Locale {
  return matchKioskLanguage(preferred) ?? baseLocale;
}
