// Which kiosk language a list of language tags asks for (the kiosk's browser layer and the e-receipt page's
// Accept-Language share the rule), and how an Accept-Language header is read.
import { describe, expect, it } from 'vitest';
import { acceptedLanguages, receiptLanguage } from '../../server/routes/e-receipt-language.ts';
import { matchKioskLanguage } from '../../src/shared/languages.ts';

describe('matchKioskLanguage', () => {
  it.each([
    [['zh'], 'zh-CN'],
    [['zh-Hans'], 'zh-CN'],
    [['zh-Hans-CN'], 'zh-CN'],
    [['zh-cn'], 'zh-CN'],
    [['zh-SG'], 'zh-CN'],
    [['ar-EG'], 'ar'],
    [['en-GB'], 'en'],
    [['fr-FR', 'ar'], 'ar'],
    [['zh-TW'], null],
    [['zh-Hant-HK'], null],
    [['fr', 'de'], null],
    [[], null],
  ])('%j → %s', (tags, expected) => {
    expect(matchKioskLanguage(tags)).toBe(expected);
  });
});

describe('acceptedLanguages', () => {
  it('sorts by q (ties keep their order) and drops q=0 and *', () => {
    expect(acceptedLanguages('fr-FR, en;q=0.5, ar;q=0.9, zh;q=0, *;q=0.1, de')).toEqual(['fr-FR', 'de', 'ar', 'en']);
    expect(acceptedLanguages(undefined)).toEqual([]);
    expect(acceptedLanguages('')).toEqual([]);
  });

  it("the receipt's language: the header's first match, else the store's, else English", () => {
    expect(receiptLanguage('fr-CH, fr;q=0.9, zh-Hans;q=0.8, en;q=0.7', 'ar')).toBe('zh-CN');
    expect(receiptLanguage('fr-CH', 'ar')).toBe('ar');
    expect(receiptLanguage(undefined, undefined)).toBe('en');
    expect(receiptLanguage('zh;q=0', 'en')).toBe('en');
  });
});
