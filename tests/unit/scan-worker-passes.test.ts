// The worker's follow-up schedule, with ZXing-C++ replaced by a recorder: which settings each frame gets, in
// which order, and on what pixels (the zoom pass reads the crop or the frame's centre at twice the size).
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReaderOptions } from 'zxing-wasm/reader';

interface Call {
  width: number;
  height: number;
  options: ReaderOptions;
}
const calls: Call[] = [];
let locate = false;

vi.mock('zxing-wasm/reader', () => ({
  readBarcodes: async (img: { width: number; height: number }, options: ReaderOptions) => {
    calls.push({ width: img.width, height: img.height, options });
    // The live pass (returnErrors) "locates" a symbol at 300–400 px it cannot read, when asked to.
    if (!options.returnErrors || !locate) return [];
    const corner = (x: number, y: number) => ({ x, y });
    return [
      {
        isValid: false,
        text: '',
        format: 'QRCode',
        position: { topLeft: corner(300, 300), topRight: corner(400, 300), bottomRight: corner(400, 400), bottomLeft: corner(300, 400) },
      },
    ];
  },
}));

beforeAll(() => {
  // Node has no ImageData; the passes only construct it around pixels.
  globalThis.ImageData ??= class {
    constructor(
      public data: Uint8ClampedArray,
      public width: number,
      public height: number,
    ) {}
  } as unknown as typeof ImageData;
});
beforeEach(() => {
  calls.length = 0;
});

const frame = (width: number, height: number) => new ImageData(new Uint8ClampedArray(width * height * 4).fill(255), width, height);
const describeCall = ({ width, height, options: o }: Call) =>
  `${width}x${height}${o.returnErrors ? ' live' : ''}${o.tryDenoise ? ' denoise' : ''}${o.tryDownscale ? ` down/${o.downscaleFactor}` : ''}${
    o.binarizer === 'GlobalHistogram' ? ' global' : ''
  }${o.tryInvert && o.tryRotate ? ' invert+rotate' : ''}`;

describe('workerPasses (the kiosk schedule)', () => {
  it('on a located symbol, zooms the crop ×2 first, then the other follow-ups by rescue rate', async () => {
    const { workerPasses } = await import('../../src/lib/scan/engines/worker-passes');
    locate = true;
    const passes = workerPasses();
    for (let f = 0; f < 5; f++) await passes.decode(frame(1280, 720));
    // The crop: 100 px box + 35 px margin each side = 170 × 170.
    expect(calls.map(describeCall)).toEqual([
      '1280x720 live',
      '340x340 denoise',
      '1280x720 live',
      '170x170 down/2',
      '1280x720 live',
      '170x170 global',
      '1280x720 live',
      '170x170 denoise',
      '1280x720 live',
      '170x170 invert+rotate',
    ]);
  });

  it('with nothing located, reads the central half of a 720p frame at twice its size on the first idle follow-up', async () => {
    const { workerPasses } = await import('../../src/lib/scan/engines/worker-passes');
    locate = false;
    const passes = workerPasses();
    for (let f = 0; f < 8; f++) await passes.decode(frame(1280, 720));
    expect(calls.filter((c) => !c.options.returnErrors).map(describeCall)).toEqual(['1280x720 denoise', '1280x720 down/2']);
    expect(calls.filter((c) => c.options.returnErrors)).toHaveLength(8);
  });

  it('doubles a small frame whole', async () => {
    const { workerPasses } = await import('../../src/lib/scan/engines/worker-passes');
    locate = false;
    const passes = workerPasses();
    for (let f = 0; f < 4; f++) await passes.decode(frame(320, 240));
    expect(calls.filter((c) => !c.options.returnErrors).map(describeCall)).toEqual(['640x480 denoise']);
  });
});
