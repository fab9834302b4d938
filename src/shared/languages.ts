// The kiosk's languages (messages/<tag>.json). The store config names one as its default; the server checks it.
export const KIOSK_LANGUAGES = ['en', 'zh-CN', 'ar'] as const;
export type KioskLanguage = (typeof KIOSK_LANGUAGES)[number];
