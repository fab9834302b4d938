// Pixel operations that turn a dev photo into a harder one, on grey images (the camera benches play luma
// only). Every random choice comes from a seeded generator, so the same seed gives the same image.
export interface Grey {
  width: number;
  height: number;
  /** Luma 0–255, row-major; floats while being worked on, rounded when written. */
  px: Float32Array;
}

export { rng } from '../lib/rng';

const at = (g: Grey, x: number, y: number) =>
  g.px[Math.min(g.height - 1, Math.max(0, y)) * g.width + Math.min(g.width - 1, Math.max(0, x))];

/** Area-average downscale (what a camera further away sees: fewer pixels per module, edges mixed). */
export function downscale(g: Grey, factor: number): Grey {
  const width = Math.max(1, Math.round(g.width * factor));
  const height = Math.max(1, Math.round(g.height * factor));
  const px = new Float32Array(width * height);
  const sx = g.width / width;
  const sy = g.height / height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [x0, x1, y0, y1] = [Math.floor(x * sx), Math.ceil((x + 1) * sx), Math.floor(y * sy), Math.ceil((y + 1) * sy)];
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += at(g, xx, yy);
      px[y * width + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return { width, height, px };
}

/** Separable Gaussian blur (out of focus), sigma in pixels, edges clamped. */
export function gaussianBlur(g: Grey, sigma: number): Grey {
  const r = Math.ceil(sigma * 3);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const norm = k.reduce((a, b) => a + b, 0);
  const pass = (src: Grey, dx: number, dy: number): Grey => {
    const px = new Float32Array(src.px.length);
    for (let y = 0; y < src.height; y++) {
      for (let x = 0; x < src.width; x++) {
        let sum = 0;
        for (let i = -r; i <= r; i++) sum += k[i + r] * at(src, x + i * dx, y + i * dy);
        px[y * src.width + x] = sum / norm;
      }
    }
    return { ...src, px };
  };
  return pass(pass(g, 1, 0), 0, 1);
}

/** Additive Gaussian sensor noise (Box–Muller from the seeded generator). */
export function noise(g: Grey, sigma: number, rand: () => number): Grey {
  const px = g.px.map((v) => {
    const n = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return v + sigma * n;
  });
  return { ...g, px };
}

/** Contrast squeezed around `mid` (a washed-out print, glare on a screen), then a gamma curve (exposure). */
export function tone(g: Grey, contrast: number, mid: number, gamma = 1): Grey {
  const px = g.px.map((v) => 255 * Math.pow(Math.min(1, Math.max(0, (mid + (v - 128) * contrast) / 255)), gamma));
  return { ...g, px };
}

/** Light falling off across the frame in a seeded direction: brightness from 1 down to `darkest`. */
export function illumination(g: Grey, darkest: number, rand: () => number): Grey {
  const angle = rand() * 2 * Math.PI;
  const [cx, cy] = [Math.cos(angle), Math.sin(angle)];
  const span = Math.abs(cx) * g.width + Math.abs(cy) * g.height;
  const offset = Math.min(0, cx * g.width) + Math.min(0, cy * g.height);
  const px = g.px.map((v, i) => {
    const t = (cx * (i % g.width) + cy * Math.floor(i / g.width) - offset) / span;
    return v * (1 - (1 - darkest) * t);
  });
  return { ...g, px };
}

/** Rotation by `degrees` about the centre, bilinear, on a canvas grown to hold it, the corners white. */
export function rotate(g: Grey, degrees: number): Grey {
  const a = (degrees * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  const width = Math.ceil(Math.abs(c) * g.width + Math.abs(s) * g.height);
  const height = Math.ceil(Math.abs(s) * g.width + Math.abs(c) * g.height);
  const px = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [dx, dy] = [x - width / 2, y - height / 2];
      const sx = c * dx + s * dy + g.width / 2;
      const sy = -s * dx + c * dy + g.height / 2;
      px[y * width + x] = sx < 0 || sy < 0 || sx > g.width - 1 || sy > g.height - 1 ? 255 : bilinear(g, sx, sy);
    }
  }
  return { width, height, px };
}

function bilinear(g: Grey, x: number, y: number): number {
  const [x0, y0] = [Math.floor(x), Math.floor(y)];
  const [fx, fy] = [x - x0, y - y0];
  const top = at(g, x0, y0) * (1 - fx) + at(g, x0 + 1, y0) * fx;
  const bottom = at(g, x0, y0 + 1) * (1 - fx) + at(g, x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}
