// An image step the variant bench tried as a follow-up and the kiosk did not keep (it rescued 6 of 744 harder
// photos for +16 ms per empty 720p frame; BENCHMARKS.md): kept here so the bench can still measure it.
import type { Pixels } from '../../src/lib/scan/engines/frame-crop';
import { luma } from '../../src/lib/scan/engines/frame-prep';

/**
 * Grey levels stretched so the darkest `clip` of pixels become black and the brightest `clip` white. A
 * washed-out or dim code whose dark and light modules differ by fewer than ZXing-C++'s minimum contrast
 * (24 levels per block) reads as blank to its binariser; stretched, the same edges clear it.
 */
export function stretchContrast(src: Pixels, clip = 0.01): Pixels {
  const n = src.width * src.height;
  const grey = new Uint8Array(n);
  const hist = new Uint32Array(256);
  for (let i = 0; i < n; i++) hist[(grey[i] = luma(src.data, i * 4))]++;
  const cut = Math.floor(n * clip);
  let lo = 0;
  for (let seen = hist[0]; seen <= cut && lo < 255; seen += hist[++lo]);
  let hi = 255;
  for (let seen = hist[255]; seen <= cut && hi > 0; seen += hist[--hi]);
  const span = Math.max(1, hi - lo);
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const v = ((grey[i] - lo) * 255) / span; // the clamped array rounds and clips to 0–255
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { data, width: src.width, height: src.height };
}
