// Blocks → ESC/POS in the printer's own character set. The encoder picks a code page per run of text
// (ESC t n, from the printer family's mapping) — right for Latin scripts, not for Chinese or Arabic (encode.ts).
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { Block, ImageLike, TextBlock } from './layout';

export type EncoderOptions = ConstructorParameters<typeof ReceiptPrinterEncoder>[0];

export function newEncoder(options: EncoderOptions): ReceiptPrinterEncoder {
  // Raster images (GS v 0) rather than column mode: every ESC/POS printer since the TM-T88III has it and it
  // needs no line-spacing juggling.
  return new ReceiptPrinterEncoder({ language: 'esc-pos', imageMode: 'raster', ...options }).initialize().codepage('auto');
}

export function textBlock(enc: ReceiptPrinterEncoder, b: TextBlock): void {
  if (b.kind === 'rule') {
    enc.rule();
    return;
  }
  if (b.kind === 'pair') {
    const right = Math.min(b.right.length, enc.columns - 2);
    if (b.bold) enc.bold(true);
    enc.table(
      [
        { width: enc.columns - right - 1, align: 'left', overflow: 'wrap' },
        { width: right, align: 'right' },
      ],
      [[b.left, b.right]],
    );
    if (b.bold) enc.bold(false);
    return;
  }
  enc.align(b.align ?? 'left');
  if (b.bold) enc.bold(true);
  if (b.big) enc.size(2, 2);
  enc.line(b.text);
  if (b.big) enc.size(1, 1);
  if (b.bold) enc.bold(false);
  enc.align('left');
}

/** The blocks every renderer draws the same way: logo, QR (the printer's own GS ( k), feeds. */
export function commonBlock(enc: ReceiptPrinterEncoder, b: Block, logo: ImageLike | null): void {
  if (b.kind === 'logo') {
    if (!logo) return;
    enc.align('center').image(logo, logo.width, logo.height, 'threshold').align('left');
  } else if (b.kind === 'qr') {
    enc.align('center').qrcode(b.value, { model: 2, size: 6, errorlevel: 'm' }).align('left');
  } else if (b.kind === 'feed') {
    enc.newline(b.lines);
  }
}
