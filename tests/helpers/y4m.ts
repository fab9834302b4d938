// Writes YUV4MPEG2 videos for Chromium's fake camera (--use-file-for-fake-video-capture=<file>.y4m):
// the E2E camera path shows the kiosk a real wallet code, through the real camera pipeline.
import { openSync, writeSync, closeSync, readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { code128Modules } from '../../src/shared/barcode/code128.ts';

export interface Y4mOptions {
  text: string;
  symbology: 'qr' | 'code128';
  width?: number;
  height?: number;
  frames?: number;
  fps?: number;
}

/** The luma plane of one frame: white page, the code in black, centred and large. */
export function renderLuma(text: string, symbology: 'qr' | 'code128', width: number, height: number): Uint8Array {
  const y = new Uint8Array(width * height).fill(255);
  const fill = (x0: number, y0: number, w: number, h: number) => {
    for (let r = y0; r < y0 + h; r++) y.fill(0, r * width + x0, r * width + x0 + w);
  };
  if (symbology === 'qr') {
    const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
    // Quiet zone of 4 modules on each side (the QR spec minimum) inside 70% of the short side.
    const px = Math.floor((Math.min(width, height) * 0.7) / (size + 8));
    if (px < 2) throw new Error(`QR for ${JSON.stringify(text)} is too dense for ${width}×${height}`);
    const x0 = Math.floor((width - size * px) / 2);
    const y0 = Math.floor((height - size * px) / 2);
    for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) if (data[r * size + c]) fill(x0 + c * px, y0 + r * px, px, px);
  } else {
    const modules = code128Modules(text);
    const px = Math.floor((width * 0.85) / modules.length);
    if (px < 2) throw new Error(`Code 128 for ${JSON.stringify(text)} is too long for width ${width}`);
    const barH = Math.floor(height * 0.4);
    const x0 = Math.floor((width - modules.length * px) / 2);
    const y0 = Math.floor((height - barH) / 2);
    modules.forEach((bar, i) => bar && fill(x0 + i * px, y0, px, barH));
  }
  return y;
}

/** Writes a 4:2:0 y4m of `frames` identical frames; returns the path. */
export function writeY4m(path: string, opts: Y4mOptions): string {
  const { text, symbology, width = 1280, height = 720, frames = 30, fps = 15 } = opts;
  if (width % 2 || height % 2) throw new Error('4:2:0 needs even width and height');
  const luma = renderLuma(text, symbology, width, height);
  const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128); // U and V: no colour
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    for (let f = 0; f < frames; f++) {
      writeSync(fd, 'FRAME\n');
      writeSync(fd, luma);
      writeSync(fd, chroma);
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

export interface Y4mVideo {
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** Luma plane of frame i. */
  luma(i: number): Uint8Array;
}

/** A minimal reader for what writeY4m produces (used by tests to check the video holds the code). */
export function readY4m(path: string): Y4mVideo {
  const buf = readFileSync(path);
  const headerEnd = buf.indexOf(0x0a);
  const header = buf.subarray(0, headerEnd).toString('latin1');
  if (!header.startsWith('YUV4MPEG2 ')) throw new Error('not a YUV4MPEG2 file');
  const tag = (t: string) =>
    header
      .split(' ')
      .find((x) => x.startsWith(t))
      ?.slice(1);
  const width = Number(tag('W'));
  const height = Number(tag('H'));
  const [num, den] = (tag('F') ?? '0:1').split(':').map(Number);
  const frameBytes = 6 + width * height * 1.5; // "FRAME\n" + Y + U + V
  const frames = Math.floor((buf.length - headerEnd - 1) / frameBytes);
  return {
    width,
    height,
    fps: num / den,
    frames,
    luma(i: number) {
      if (i < 0 || i >= frames) throw new RangeError(`frame ${i} of ${frames}`);
      const start = headerEnd + 1 + i * frameBytes;
      if (buf.subarray(start, start + 6).toString('latin1') !== 'FRAME\n') throw new Error(`frame ${i}: bad marker`);
      return buf.subarray(start + 6, start + 6 + width * height);
    },
  };
}

/** Grey luma → RGBA pixels in the ImageData shape decoders take. */
export function lumaToImageData(y: Uint8Array, width: number, height: number): { data: Uint8ClampedArray; width: number; height: number } {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < y.length; i++) {
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = y[i];
    data[i * 4 + 3] = 255;
  }
  return { data, width, height };
}
