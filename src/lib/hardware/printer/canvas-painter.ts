// Raster text for scripts no printer code page carries (render-raster.ts): the browser's own fonts shape
// Arabic and draw Chinese; the result goes to the printer as a 1-bit image of the print head's width.
import type { ImageLike, TextBlock } from './layout';
import type { RasterPainter } from './render-raster';

const LINE = 30;
const BIG = 1.6;
const FONT = 'system-ui, "Noto Sans", "Noto Sans CJK SC", "Noto Sans Arabic", sans-serif';

function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  // Per character, not per word: Chinese has no spaces, and a too-long word must still break.
  for (const ch of [...text]) {
    if (line && ctx.measureText(line + ch).width > width) {
      lines.push(line);
      line = ch.trimStart();
    } else line += ch;
  }
  return [...lines, line];
}

export const canvasPainter: RasterPainter = {
  paint(blocks, { widthDots, rtl }) {
    const canvas = document.createElement('canvas');
    canvas.width = widthDots;
    canvas.height = blocks.length * LINE * 4;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000';
    ctx.textBaseline = 'top';
    ctx.direction = rtl ? 'rtl' : 'ltr';
    const start = rtl ? widthDots : 0;
    const end = rtl ? 0 : widthDots;
    let y = 0;
    const draw = (b: TextBlock) => {
      if (b.kind === 'rule') {
        ctx.fillRect(0, y + LINE / 2 - 1, widthDots, 2);
        y += LINE;
        return;
      }
      const size = b.kind === 'text' && b.big ? Math.round(24 * BIG) : 24;
      ctx.font = `${b.bold ? 'bold ' : ''}${size}px ${FONT}`;
      if (b.kind === 'pair') {
        ctx.textAlign = 'start';
        ctx.fillText(b.left, start, y);
        ctx.textAlign = 'end';
        ctx.fillText(b.right, end, y);
        y += LINE;
        return;
      }
      const align = b.align === 'center' ? 'center' : b.align === 'right' ? 'end' : 'start';
      ctx.textAlign = align;
      const x = align === 'center' ? widthDots / 2 : align === 'end' ? end : start;
      for (const line of wrap(ctx, b.text, widthDots)) {
        ctx.fillText(line, x, y);
        y += Math.round(LINE * (size / 24));
      }
    };
    blocks.forEach(draw);
    const height = Math.max(8, Math.ceil(y / 8) * 8);
    const data = ctx.getImageData(0, 0, widthDots, height);
    return { width: widthDots, height, data: data.data } satisfies ImageLike;
  },
};
