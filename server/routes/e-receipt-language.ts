// Which language the e-receipt page speaks: the phone's (Accept-Language, first tag the kiosk speaks), else the
// store's default (config/stores/<id>.json "language"), else English — the kiosk's own rule for its browser
// layer (src/shared/languages.ts), so a customer reads the receipt in the language their phone asks for.
import { KIOSK_LANGUAGES, matchKioskLanguage, type KioskLanguage } from '../../src/shared/languages.ts';
import { loadLocale } from '../../src/paraglide/locale-loader.js';

/** An Accept-Language header's tags, most wanted first: `q` weights sort them (ties keep their order), q=0 and `*` drop out. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((t) => t.tag && t.tag !== '*' && t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((t) => t.tag);
}

export function receiptLanguage(acceptLanguage: string | undefined, storeLanguage?: string): KioskLanguage {
  return matchKioskLanguage(acceptedLanguages(acceptLanguage)) ?? matchKioskLanguage(storeLanguage ? [storeLanguage] : []) ?? 'en';
}

/**
 * Loads every language's messages once, at start. The compiled messages (src/paraglide/) carry English only;
 * the other languages are separate modules (scripts/i18n-split.mjs), and a message asked for in a language not
 * yet loaded quietly answers in English.
 */
export async function loadReceiptLanguages(): Promise<void> {
  await Promise.all(KIOSK_LANGUAGES.map((l) => loadLocale(l)));
}
