import { baseLocale, isLocale, type Locale } from '../../paraglide/runtime.js';

/** The first of the browser's languages the kiosk speaks: zh-CN for zh, zh-Hans or zh-SG; ar for any ar-*. */
export function browserLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    if (isLocale(tag)) return tag;
    const lang = tag.toLowerCase().split('-')[0];
    if (lang === 'zh' && !/-(hant|tw|hk|mo)\b/i.test(tag)) return 'zh-CN';
    if (isLocale(lang)) return lang;
  }
  return baseLocale;
}
