// The kiosk's languages (messages/<tag>.json). The store config names one as its default; the server checks it.
export const KIOSK_LANGUAGES = ['en', 'zh-CN', 'ar'] as const;
export type KioskLanguage = (typeof KIOSK_LANGUAGES)[number];

/**
 * The first of `preferred` (most wanted first: navigator.languages, or an Accept-Language header's tags) that the
 * kiosk speaks, or null. Tags compare without case; zh, zh-Hans and zh-SG mean Simplified Chinese (zh-CN), but
 * not Traditional (Hant, TW, HK, MO); any ar-* means Arabic.
 */
export function matchKioskLanguage(preferred: readonly string[]): KioskLanguage | null {
  const byLowerCase = new Map<string, KioskLanguage>(KIOSK_LANGUAGES.map((l) => [l.toLowerCase(), l]));
  for (const tag of preferred) {
    const exact = byLowerCase.get(tag.toLowerCase());
    if (exact) return exact;
    const lang = tag.toLowerCase().split('-')[0];
    if (lang === 'zh' && !/-(hant|tw|hk|mo)\b/i.test(tag)) return byLowerCase.get('zh-cn') ?? null;
    const primary = byLowerCase.get(lang);
    if (primary) return primary;
  }
  return null;
}
