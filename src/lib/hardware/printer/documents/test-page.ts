// Settings → Hardware → Test print: proves the width, the text mode for the language, the logo and the QR.
import { m } from '../../../../paraglide/messages.js';
import type { Locale } from '../../../../paraglide/runtime.js';
import { PAPER, type PaperWidth, type PrintDocument } from '../layout';

export function testPageDocument(width: PaperWidth, lang: Locale, origin: string, logo: boolean): PrintDocument {
  const locale = { locale: lang };
  const columns = PAPER[width].columns;
  return {
    name: 'test-page',
    lang,
    blocks: [
      ...(logo ? [{ kind: 'logo' as const }] : []),
      { kind: 'text', text: m.print_test_title({}, locale), align: 'center', bold: true, big: true },
      { kind: 'text', text: m.print_test_paper({ mm: width, columns }, locale), align: 'center' },
      { kind: 'rule' },
      // A full line of digits shows at once whether the width setting matches the paper.
      { kind: 'text', text: '1234567890'.repeat(Math.ceil(columns / 10)).slice(0, columns) },
      { kind: 'pair', left: 'ABC abc', right: '0.00' },
      { kind: 'rule' },
      { kind: 'qr', value: origin },
      { kind: 'text', text: m.print_test_ok({}, locale), align: 'center' },
      { kind: 'feed', lines: 1 },
    ],
  };
}
