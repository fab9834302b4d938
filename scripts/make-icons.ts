// Draws the app icons (the design of public/icon.svg) as PNGs for the web app manifest, with Node built-ins
// only: a tiny supersampled rasteriser and a PNG encoder over node:zlib. Run `npx tsx scripts/make-icons.ts`
// after changing the design; tests/unit/offline-icons.test.ts checks the committed files match this output.
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

type RGBA = [number, number, number, number];
const NAVY: RGBA = [0x0b, 0x12, 0x20, 255];
const WHITE: RGBA = [255, 255, 255, 255];
const GREEN: RGBA = [0x34, 0xd2, 0x7a, 255];

export interface IconSpec {
  file: string;
  size: number;
  /** Maskable/apple: full-bleed square background and the artwork shrunk into the safe zone. */
  fullBleed: boolean;
}

export const ICONS: IconSpec[] = [
  { file: 'icons/icon-192.png', size: 192, fullBleed: false },
  { file: 'icons/icon-512.png', size: 512, fullBleed: false },
  { file: 'icons/icon-maskable-512.png', size: 512, fullBleed: true },
  { file: 'icons/apple-touch-icon-180.png', size: 180, fullBleed: true },
];

function inRoundRect(x: number, y: number, rx: number, ry: number, w: number, h: number, r: number): boolean {
  if (x < rx || y < ry || x > rx + w || y > ry + h) return false;
  const cx = Math.min(Math.max(x, rx + r), rx + w - r);
  const cy = Math.min(Math.max(y, ry + r), ry + h - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function nearSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number, halfWidth: number): boolean {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= halfWidth * halfWidth;
}

/** Colour at a point of the 64×64 design (null = transparent). */
function paint(x: number, y: number, fullBleed: boolean): RGBA | null {
  if (!fullBleed && !inRoundRect(x, y, 0, 0, 64, 64, 14)) return null;
  // Maskable icons are cropped to a circle of radius 40%: shrink the artwork about the centre to fit.
  const s = fullBleed ? 0.75 : 1;
  const u = 32 + (x - 32) / s,
    v = 32 + (y - 32) / s;
  if (nearSegment(u, v, 38, 46, 44, 52, 3) || nearSegment(u, v, 44, 52, 56, 38, 3)) return GREEN;
  for (const [ox, oy] of [
    [10, 10],
    [36, 10],
    [10, 36],
  ] as const) {
    if (inRoundRect(u, v, ox + 5, oy + 5, 8, 8, 0)) return NAVY;
    if (inRoundRect(u, v, ox, oy, 18, 18, 3)) return WHITE;
  }
  return NAVY;
}

export function renderIcon(size: number, fullBleed: boolean): Buffer {
  const SS = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = paint(((px + (sx + 0.5) / SS) / size) * 64, ((py + (sy + 0.5) / SS) / size) * 64, fullBleed);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((a / (SS * SS)) * 255);
    }
  }
  return encodePng(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method extras, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pub = resolve(import.meta.dirname, '..', 'public');
  mkdirSync(resolve(pub, 'icons'), { recursive: true });
  for (const icon of ICONS) {
    writeFileSync(resolve(pub, icon.file), renderIcon(icon.size, icon.fullBleed));
    console.log(`wrote public/${icon.file}`);
  }
}
