// Blocks → ESC/POS where the text is drawn as pixels: Chinese (no CJK code page in the encoder, and a printer's
// own GB18030 mode varies by model) and Arabic (printers' Arabic code pages print letters unjoined and left to
// right). The browser's fonts shape and order the text; the QR code, feeds and cut stay printer commands.
import type ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { isTextBlock, type ImageLike, type TextBlock } from './layout';
import type { Block } from './layout';
import { commonBlock } from './render-text';

/** Draws text blocks into an image `widthDots` wide (canvas-painter.ts in the browser). */
export interface RasterPainter {
  paint(blocks: TextBlock[], opts: { widthDots: number; rtl: boolean }): ImageLike;
}

export function rasterBlocks(
  enc: ReceiptPrinterEncoder,
  blocks: Block[],
  painter: RasterPainter,
  opts: { widthDots: number; rtl: boolean; logo: ImageLike | null },
): void {
  let run: TextBlock[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const img = painter.paint(run, { widthDots: opts.widthDots, rtl: opts.rtl });
    enc.image(img, img.width, img.height, 'threshold');
    run = [];
  };
  for (const b of blocks) {
    if (isTextBlock(b)) {
      run.push(b);
      continue;
    }
    flush();
    commonBlock(enc, b, opts.logo);
  }
  flush();
}
