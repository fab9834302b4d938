// One entry point from a document to the bytes a printer gets: text mode where the printer's code pages can
// carry every character, raster text otherwise; then feed and cut.
import type { Locale } from '../../../paraglide/runtime.js';
import { isTextBlock, PAPER, type ImageLike, type PaperWidth, type PrintDocument } from './layout';
import { rasterBlocks, type RasterPainter } from './render-raster';
import { commonBlock, newEncoder, textBlock } from './render-text';

/** Code page tables the encoder knows; a printer library may report another name (then: Epson's, the common one). */
const MAPPINGS = [
  'bixolon',
  'bixolon/legacy',
  'citizen',
  'epson',
  'epson/legacy',
  'fujitsu',
  'hp',
  'metapace',
  'mpt',
  'pos-5890',
  'pos-8360',
  'star',
  'sunmi',
  'xprinter',
  'youku',
] as const;
type Mapping = (typeof MAPPINGS)[number];

export function codepageMappingFor(reported: string | null | undefined): Mapping {
  return (MAPPINGS as readonly string[]).includes(reported ?? '') ? (reported as Mapping) : 'epson';
}

export interface EncodeSetup {
  width: PaperWidth;
  codepageMapping?: string | null;
  logo?: ImageLike | null;
  /** Needed for languages printed as raster text; absent (Node, tests of text mode) means text mode only. */
  painter?: RasterPainter;
}

export type TextMode = 'codepage' | 'raster';

/** Languages whose script no ESC/POS code page prints correctly. */
const RASTER_LANGUAGES: readonly Locale[] = ['zh-CN', 'ar'];

/** Whether the printer's code pages hold every character: the encoder prints '?' for one it cannot place. */
function encodable(texts: string[], mapping: Mapping): boolean {
  const all = texts.join('');
  const bytes = newEncoder({ codepageMapping: mapping }).text(all).encode();
  const asked = [...all].filter((c) => c === '?').length;
  return bytes.filter((b) => b === 0x3f).length <= asked;
}

export function textModeFor(doc: PrintDocument, mapping: Mapping): TextMode {
  if (RASTER_LANGUAGES.includes(doc.lang)) return 'raster';
  const texts = doc.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : b.kind === 'pair' ? [b.left, b.right] : []));
  return encodable(texts, mapping) ? 'codepage' : 'raster';
}

export function encodeDocument(doc: PrintDocument, setup: EncodeSetup): { bytes: Uint8Array; mode: TextMode } {
  const paper = PAPER[setup.width];
  const mapping = codepageMappingFor(setup.codepageMapping);
  let mode = textModeFor(doc, mapping);
  if (mode === 'raster' && !setup.painter) mode = 'codepage';
  const enc = newEncoder({ columns: paper.columns, codepageMapping: mapping });
  const logo = setup.logo ?? null;
  if (mode === 'raster') {
    rasterBlocks(enc, doc.blocks, setup.painter!, { widthDots: paper.dots, rtl: doc.lang === 'ar', logo });
  } else {
    for (const b of doc.blocks) {
      if (isTextBlock(b)) textBlock(enc, b);
      else commonBlock(enc, b, logo);
    }
  }
  return { bytes: enc.newline(3).cut('partial').encode(), mode };
}
