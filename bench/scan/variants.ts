// The variant set: every dev photo (tests/fixtures/zxing-blackbox) made harder in a dozen seeded ways — the
// code smaller in the frame, out of focus, noisy, washed out, unevenly lit, tilted, badly compressed, and
// mixes of these — written as PNGs into a temp folder at bench time (never committed). 62 photos are too
// near the ceiling to tell decoders apart; 13 × 62 harder ones are not, and each photo's text is kept.
// The seed is the photo's index and the family's, so every run decodes the very same pixels. JPEG
// re-compression is the one step left to the bench page (Chromium's encoder), applied after loading.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { lumaOverWhite, readPng, type Photo } from './camera-harness';
import { downscale, gaussianBlur, illumination, noise, rng, rotate, tone, type Grey } from './variant-ops';

export interface Family {
  name: string;
  what: string;
  make(g: Grey, rand: () => number): Grey;
  /** Re-encode as JPEG at this quality (0–1) in the page, after the pixel steps. */
  jpeg?: number;
}

const between = (rand: () => number, lo: number, hi: number) => lo + (hi - lo) * rand();
const tilt = (rand: () => number, lo: number, hi: number) => (rand() < 0.5 ? -1 : 1) * between(rand, lo, hi);

export const FAMILIES: readonly Family[] = [
  { name: 'original', what: 'the dev photo as it is', make: (g) => g },
  { name: 'small-0.5', what: 'downscaled to 0.5× (area average): the code half as many pixels across', make: (g) => downscale(g, 0.5) },
  { name: 'small-0.35', what: 'downscaled to 0.35×', make: (g) => downscale(g, 0.35) },
  { name: 'blur', what: 'Gaussian blur, sigma 1–3 px', make: (g, r) => gaussianBlur(g, between(r, 1, 3)) },
  { name: 'noise', what: 'Gaussian sensor noise, sigma 16–28 grey levels', make: (g, r) => noise(g, between(r, 16, 28), r) },
  {
    name: 'low-contrast',
    what: 'contrast squeezed to 25–40 % around a mid grey of 100–170, gamma 0.6–1.8, light noise (sigma 3)',
    make: (g, r) => noise(tone(g, between(r, 0.25, 0.4), between(r, 100, 170), between(r, 0.6, 1.8)), 3, r),
  },
  {
    name: 'uneven-light',
    what: 'brightness falling to 15–35 % across the frame in a random direction',
    make: (g, r) => illumination(g, between(r, 0.15, 0.35), r),
  },
  { name: 'rotated', what: 'rotated ±5–15° (bilinear, white corners)', make: (g, r) => rotate(g, tilt(r, 5, 15)) },
  { name: 'jpeg', what: 'JPEG re-compressed at quality 0.1 (Chromium encoder)', make: (g) => g, jpeg: 0.1 },
  {
    name: 'far-away',
    what: 'combo: 0.5×, blur sigma 1, noise sigma 8, JPEG 0.5',
    make: (g, r) => noise(gaussianBlur(downscale(g, 0.5), 1), 8, r),
    jpeg: 0.5,
  },
  {
    name: 'bad-light',
    what: 'combo: contrast 50 %, light falling to 40 %, noise sigma 8',
    make: (g, r) => noise(illumination(tone(g, 0.5, 150), 0.4, r), 8, r),
  },
  {
    name: 'tilted-soft',
    what: 'combo: rotated ±5–12°, blur sigma 1.5, JPEG 0.4',
    make: (g, r) => gaussianBlur(rotate(g, tilt(r, 5, 12)), 1.5),
    jpeg: 0.4,
  },
  {
    name: 'small-soft',
    what: 'combo: 0.35×, blur sigma 0.8, noise sigma 6',
    make: (g, r) => noise(gaussianBlur(downscale(g, 0.35), 0.8), 6, r),
  },
];

export function toGrey(file: string): Grey {
  const img = readPng(file);
  const px = new Float32Array(img.width * img.height);
  for (let i = 0; i < px.length; i++) px[i] = lumaOverWhite(img.data, i * 4);
  return { width: img.width, height: img.height, px };
}

function writeGreyPng(g: Grey, file: string): void {
  const png = new PNG({ width: g.width, height: g.height });
  for (let i = 0; i < g.px.length; i++) {
    const v = Math.round(Math.min(255, Math.max(0, g.px[i])));
    png.data.set([v, v, v, 255], i * 4);
  }
  writeFileSync(file, PNG.sync.write(png));
}

export interface VariantItem {
  family: string;
  folder: string;
  name: string;
  /** Path under the served variants folder. */
  url: string;
  expected: string;
  jpeg?: number;
}

/** Writes every family's version of every photo under `dir`; returns what to decode. */
export function writeVariants(photos: Iterable<Photo>, dir: string, families = FAMILIES): VariantItem[] {
  const items: VariantItem[] = [];
  for (const photo of photos) {
    const grey = toGrey(photo.file);
    families.forEach((family, f) => {
      const rand = rng(1_000 * (f + 1) + photo.index);
      const out = join(dir, family.name, photo.folder);
      mkdirSync(out, { recursive: true });
      writeGreyPng(family.make(grey, rand), join(out, photo.name));
      writeFileSync(join(out, photo.name.replace(/\.png$/, '.txt')), photo.expected);
      const url = `/variants/${family.name}/${photo.folder}/${photo.name}`;
      items.push({ family: family.name, folder: photo.folder, name: photo.name, url, expected: photo.expected, jpeg: family.jpeg });
    });
  }
  return items;
}
