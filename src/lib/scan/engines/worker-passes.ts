// The worker's passes: ZXing-C++ with each settings object of frame-passes.ts, and @zxing/library (the other
// engine: a different detector and binariser) on the crop around a symbol ZXing-C++ located but could not
// read. The pure-JS engine is loaded only the first time such a frame comes up.
import { readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import { WASM_FORMATS, normaliseFormat } from '../formats';
import type { DecodeEngine } from './engine';
import { cropPixels, regionAround, type Pixels, type Region } from './frame-crop';
import { FOLLOW_UP_OPTIONS, FramePasses, LIVE_OPTIONS, ZOOM_OPTIONS, type Pass, type PassResult } from './frame-passes';
import { zoomIn } from './frame-prep';

function input(frame: ImageData, region?: Region): ImageData {
  if (!region) return frame;
  const c = cropPixels(frame, region);
  return new ImageData(c.data, c.width, c.height);
}

/** An image step before reading (frame-prep.ts); undefined when it does not apply to this input. */
export type Prep = (img: Pixels) => Pixels | undefined;

/** ZXing-C++ with `options`, on the frame or the located region, after `prep` when given. */
export function zxingCpp(options: ReaderOptions, prep?: Prep): Pass<ImageData> {
  return async (frame, region) => {
    const img = input(frame, region);
    const prepped = prep ? prep(img) : img;
    if (!prepped) return [];
    const read = prepped === img ? img : new ImageData(prepped.data, prepped.width, prepped.height);
    const found = await readBarcodes(read, options);
    return found.map((r): PassResult => {
      const p = r.position;
      // Only the live pass's regions are used (to crop the next follow-up), and it reads the frame as it is.
      const located =
        r.isValid || prep ? undefined : regionAround([p.topLeft, p.topRight, p.bottomRight, p.bottomLeft], img.width, img.height);
      // A region found in a crop is moved back into the full frame's coordinates.
      const region2 = located && region ? { ...located, x: located.x + region.x, y: located.y + region.y } : located;
      return { isValid: r.isValid, text: r.text, format: normaliseFormat(WASM_FORMATS, r.format), region: region2 };
    });
  };
}

let zxingJs: Promise<DecodeEngine> | undefined;
export const otherEngine: Pass<ImageData> = async (frame, region) => {
  // On a full 720p frame @zxing/library with TRY_HARDER takes ~200 ms: only worth it on a located symbol.
  if (!region) return [];
  zxingJs ??= import('./zxing-js').then(async ({ createZxingJsEngine }) => {
    const engine = createZxingJsEngine({ tryHarder: true });
    await engine.init();
    return engine;
  });
  const engine = await zxingJs.catch(() => undefined);
  if (!engine) return []; // offline before it was ever fetched: the ZXing-C++ passes still run
  const found = await engine.decode(input(frame, region));
  return found.map((d) => ({ isValid: true, text: d.text, format: d.format }));
};

/** The kiosk's schedule, or (benchmarks) one fixed ZXing-C++ setting on every frame. */
export function workerPasses(fixed?: ReaderOptions): FramePasses<ImageData> {
  if (fixed) return new FramePasses({ live: zxingCpp({ ...LIVE_OPTIONS, ...fixed }), followUps: [] });
  return new FramePasses({
    live: zxingCpp({ ...LIVE_OPTIONS, returnErrors: true }),
    followUps: [zxingCpp(ZOOM_OPTIONS, zoomIn), ...FOLLOW_UP_OPTIONS.map((o) => zxingCpp(o)), otherEngine],
  });
}
