// Every message exists in every language with the same {placeholders}: a key added to en.json alone (or a
// placeholder lost in translation) would show English, or "undefined", to a Chinese or Arabic reader.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as { baseLocale: string; locales: string[] };
const load = (locale: string) => {
  const { $schema: _schema, ...messages } = JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>;
  return messages;
};
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((p) => p[1]).sort();

const base = load(settings.baseLocale);

describe.each(settings.locales.filter((l) => l !== settings.baseLocale))('messages/%s.json', (locale) => {
  const messages = load(locale);
  it('has every key of the base language and no other', () => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(base).sort());
  });
  it('keeps each message’s placeholders and translates it', () => {
    for (const [key, text] of Object.entries(base)) {
      expect(placeholders(messages[key] ?? ''), `${locale}: ${key}`).toEqual(placeholders(text));
      expect(messages[key]?.trim(), `${locale}: ${key} is empty`).toBeTruthy();
    }
  });
});
