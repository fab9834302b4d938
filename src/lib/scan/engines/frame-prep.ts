// Image steps a follow-up pass may take before ZXing-C++ reads a frame (or the crop around a located
// symbol): things ZXing-C++ does not do itself. They work on RGBA and write grey (R = G = B), which is all
// the decoder looks at.
import { cropPixels, type Pixels } from './frame-crop';

export const luma = (d: Uint8ClampedArray, i: number) => (d[i] * 77 + d[i + 1] * 150 + d[i + 2] * 29) >> 8;

/**
 * Twice the size, bilinear. A code far from the camera has modules of 2–3 px, below what ZXing-C++'s
 * detectors and its 8 px binariser blocks handle well; interpolating to 4–6 px reads many of them.
 */
export function upscale2x(src: Pixels): Pixels {
  const width = src.width * 2;
  const height = src.height * 2;
  const data = new Uint8ClampedArray(width * height * 4);
  const grey = new Uint8Array(src.width * src.height);
  for (let i = 0; i < grey.length; i++) grey[i] = luma(src.data, i * 4);
  const g = (x: number, y: number) => grey[Math.min(src.height - 1, y) * src.width + Math.min(src.width - 1, x)];
  for (let y = 0; y < height; y++) {
    // Output pixel centres map to source positions (y + 0.5) / 2 - 0.5, clamped at the edges.
    const sy = Math.max(0, (y + 0.5) / 2 - 0.5);
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.max(0, (x + 0.5) / 2 - 0.5);
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const top = g(x0, y0) * (1 - fx) + g(x0 + 1, y0) * fx;
      const bottom = g(x0, y0 + 1) * (1 - fx) + g(x0 + 1, y0 + 1) * fx;
      const v = Math.round(top * (1 - fy) + bottom * fy);
      const o = (y * width + x) * 4;
      data[o] = data[o + 1] = data[o + 2] = v;
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}

/** Up to this many pixels an input is doubled whole (a crop around a located symbol, a VGA frame). */
export const ZOOM_WHOLE_MAX_PIXELS = 640 * 480;

/**
 * Digital zoom for a follow-up read: a small input (a crop, a small frame) doubled whole; a larger frame's
 * central half (where a customer holds the phone) doubled, so a code too far from the camera for ZXing-C++
 * is read at twice its size for the cost of one read of a frame the size of the original.
 */
export function zoomIn(src: Pixels): Pixels {
  if (src.width * src.height <= ZOOM_WHOLE_MAX_PIXELS) return upscale2x(src);
  const width = Math.floor(src.width / 2);
  const height = Math.floor(src.height / 2);
  const x = Math.floor((src.width - width) / 2);
  const y = Math.floor((src.height - height) / 2);
  return upscale2x(cropPixels(src, { x, y, width, height }));
}
