// A printed document as paper-neutral blocks. The documents (receipt, refund slip, X/Z report, test page)
// build these from paraglide messages; encode.ts turns them into ESC/POS bytes either as printer text (a
// code page the printer has) or as a raster image of the text where no code page can carry the language.
import type { Locale } from '../../../paraglide/runtime.js';

export type Align = 'left' | 'center' | 'right';

export type TextBlock =
  | { kind: 'text'; text: string; align?: Align; bold?: boolean; big?: boolean }
  | { kind: 'pair'; left: string; right: string; bold?: boolean }
  | { kind: 'rule' };

export type Block =
  | TextBlock
  /** The e-receipt link (or any value) as the printer's own QR command, never an image. */
  | { kind: 'qr'; value: string }
  | { kind: 'logo' }
  | { kind: 'feed'; lines: number };

export interface PrintDocument {
  name: 'receipt' | 'refund-slip' | 'day-report' | 'test-page';
  lang: Locale;
  blocks: Block[];
}

export type PaperWidth = 58 | 80;

/** Characters per line in the printer's font A, and dots across the print head (203 dpi). */
export const PAPER: Record<PaperWidth, { columns: number; dots: number }> = {
  58: { columns: 32, dots: 384 },
  80: { columns: 48, dots: 576 },
};

/** Pixels as the encoder takes them: RGBA, dark where the paper should be black. */
export interface ImageLike {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export function isTextBlock(b: Block): b is TextBlock {
  return b.kind === 'text' || b.kind === 'pair' || b.kind === 'rule';
}
