// Only the language on screen is downloaded (scripts/i18n-split.mjs, run by `npm run i18n`): the per-message
// modules the kiosk bundles carry the base language only; each other language is one module loaded on demand.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLoaded, loadLocale } from '../../src/paraglide/locale-loader.js';
import { m } from '../../src/paraglide/messages.js';

const messages = (locale: string) =>
  Object.keys(JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>).filter((k) => !k.startsWith('$'));

describe('messages split by language', () => {
  it('the per-message modules hold no Chinese or Arabic text but the language names', () => {
    const dir = 'src/paraglide/messages';
    const offenders = readdirSync(dir)
      .filter((f) => f !== 'language_name.js')
      .filter((f) => /[\u4e00-\u9fff\u0600-\u06ff]/u.test(readFileSync(`${dir}/${f}`, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('each language module exports every message of its language', async () => {
    for (const locale of ['zh-CN', 'ar']) {
      const mod = (await import(`../../src/paraglide/locales/${locale}.js`)) as Record<string, unknown>;
      expect(Object.keys(mod).sort()).toEqual(
        messages(locale)
          .filter((k) => k !== 'language_name')
          .sort(),
      );
    }
  });

  it('a message speaks Chinese only once Chinese is loaded, and English until then', async () => {
    expect(isLoaded('en')).toBe(true);
    expect(isLoaded('ar')).toBe(false);
    expect(m.app_screen_failed({ error: 'x' }, { locale: 'ar' })).toBe('This screen could not be loaded: x');
    await loadLocale('ar');
    expect(isLoaded('ar')).toBe(true);
    expect(m.app_screen_failed({ error: 'x' }, { locale: 'ar' })).toBe('تعذّر تحميل هذه الشاشة: x');
    expect(m.app_screen_failed({ error: 'x' }, { locale: 'en' })).toBe('This screen could not be loaded: x');
  });

  it('every language is named in itself before any is loaded (the language lists)', () => {
    expect(m.language_name({}, { locale: 'zh-CN' })).toBe('简体中文');
    expect(m.language_name({}, { locale: 'ar' })).toBe('العربية');
  });
});
