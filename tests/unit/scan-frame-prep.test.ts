import { describe, expect, it } from 'vitest';
import { upscale2x, zoomIn } from '../../src/lib/scan/engines/frame-prep';
import { stretchContrast } from '../../bench/scan/candidate-prep';
import type { Pixels } from '../../src/lib/scan/engines/frame-crop';

/** A grey RGBA image from rows of luma values. */
function grey(rows: number[][]): Pixels {
  const width = rows[0].length;
  const data = new Uint8ClampedArray(width * rows.length * 4);
  rows.flat().forEach((v, i) => data.set([v, v, v, 255], i * 4));
  return { data, width, height: rows.length };
}
const lumaRows = (p: Pixels) =>
  Array.from({ length: p.height }, (_, y) => Array.from({ length: p.width }, (_, x) => p.data[(y * p.width + x) * 4]));

describe('upscale2x', () => {
  it('doubles both sides and interpolates between pixel centres, edges held', () => {
    const up = upscale2x(grey([[0, 255]]));
    expect([up.width, up.height]).toEqual([4, 2]);
    // Output centres fall at source x = −0.25 (held at 0), 0.25, 0.75 and 1.25 (held at the last pixel).
    expect(lumaRows(up)).toEqual([
      [0, 64, 191, 255],
      [0, 64, 191, 255],
    ]);
  });

  it('interpolates down the rows too and writes opaque grey', () => {
    const up = upscale2x(grey([[0], [200]]));
    expect(lumaRows(up)).toEqual([
      [0, 0],
      [50, 50],
      [150, 150],
      [200, 200],
    ]);
    for (let i = 0; i < up.data.length; i += 4) {
      expect(up.data[i]).toBe(up.data[i + 1]);
      expect(up.data[i + 3]).toBe(255);
    }
  });

  it('reads colour as luma', () => {
    const red: Pixels = { data: new Uint8ClampedArray([255, 0, 0, 255]), width: 1, height: 1 };
    expect(lumaRows(upscale2x(red))).toEqual([
      [76, 76],
      [76, 76],
    ]);
  });
});

describe('stretchContrast', () => {
  it('maps the darkest grey to black and the lightest to white, linearly between', () => {
    expect(lumaRows(stretchContrast(grey([[100, 125, 150]]), 0))).toEqual([[0, 128, 255]]);
  });

  it('ignores the clipped share of outliers at both ends', () => {
    const row = [0, ...Array<number>(49).fill(100), ...Array<number>(49).fill(140), 255];
    const out = lumaRows(stretchContrast(grey([row]), 0.01))[0];
    expect(out.slice(0, 3)).toEqual([0, 0, 0]);
    expect(out.slice(-3)).toEqual([255, 255, 255]);
    expect(out[1]).toBe(0);
    expect(out[50]).toBe(255);
  });

  it('leaves a flat image flat instead of dividing by zero', () => {
    expect(lumaRows(stretchContrast(grey([[90, 90]]), 0))).toEqual([[0, 0]]);
  });
});

describe('zoomIn', () => {
  it('doubles an input up to VGA whole', () => {
    const z = zoomIn(grey([[0, 255]]));
    expect([z.width, z.height]).toEqual([4, 2]);
  });

  it("doubles a larger frame's central half: same size out, the centre magnified, the border gone", () => {
    const [w, h] = [800, 600];
    const rows = Array.from({ length: h }, () => Array<number>(w).fill(255));
    rows[300][400] = 0; // the centre
    rows[10][10] = 0; // outside the central half
    const z = zoomIn(grey(rows));
    expect([z.width, z.height]).toEqual([w, h]);
    const out = lumaRows(z);
    // (400, 300) is (200, 150) in the 400 × 300 crop: doubled, it covers (400..401, 300..301), each there at
    // weight 0.75 × 0.75 (255 × (1 − 0.5625) ≈ 112), and blends into the ring of 12 pixels around.
    const dark = out.flatMap((row, y) => row.flatMap((v, x) => (v < 255 ? [[x, y, v]] : [])));
    expect(dark).toHaveLength(16);
    for (const [x, y] of dark) expect([x >= 399 && x <= 402, y >= 299 && y <= 302]).toEqual([true, true]);
    expect([out[300][400], out[300][401], out[301][400], out[301][401]]).toEqual([112, 112, 112, 112]);
  });
});
