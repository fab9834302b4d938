// The contenders of the variant bench, each a FramePasses schedule built from the worker's own passes: the
// two ZXing-C++ references (its defaults, tryHarder + tryInvert) with one fixed setting on every frame, the
// kiosk's schedule as shipped, and candidate changes to it.
import { FramePasses, FOLLOW_UP_OPTIONS, LIVE_OPTIONS, type Pass } from '../../src/lib/scan/engines/frame-passes';
import { otherEngine, workerPasses, zxingCpp, type Prep } from '../../src/lib/scan/engines/worker-passes';
import { stretchContrast, upscale2x } from '../../src/lib/scan/engines/frame-prep';

/** zxing-wasm's own defaults, as the camera benches' "zxing-wasm-defaults" contender sets them. */
export const DEFAULTS = { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true };

/** Upscale only inputs up to VGA (a crop, or a small frame): a 720p frame doubled would cost ~4× a read. */
const smallUp: Prep = (img) => (img.width * img.height <= 640 * 480 ? upscale2x(img) : undefined);

const harder = { ...LIVE_OPTIONS, tryHarder: true };
const shipped = (): Pass<ImageData>[] => [...FOLLOW_UP_OPTIONS.map((o) => zxingCpp(o)), otherEngine];
const live = () => zxingCpp({ ...LIVE_OPTIONS, returnErrors: true });
const plan = (followUps: Pass<ImageData>[], idleEvery = 4) => new FramePasses({ live: live(), followUps, idleEvery });

export const CANDIDATES: Record<string, { what: string; make: () => FramePasses<ImageData> }> = {
  'zxing-wasm-defaults': { what: 'ZXing-C++ alone, its defaults, every frame (baseline)', make: () => workerPasses(DEFAULTS) },
  'zxing-wasm-thorough': { what: 'ZXing-C++ tryHarder + tryInvert, every frame', make: () => workerPasses({ tryHarder: true, tryInvert: true }) },
  kiosk: { what: 'the kiosk as shipped (live pass + 5 follow-ups in turn)', make: () => workerPasses() },
  'idle-every-1': { what: 'kiosk, a follow-up on every unread frame (not 1 in 4 when nothing is located)', make: () => plan(shipped(), 1) },
  'idle-every-2': { what: 'kiosk, follow-up on 1 in 2 frames when nothing is located', make: () => plan(shipped(), 2) },
  'up2': { what: 'kiosk + follow-up: ×2 bilinear upscale (inputs ≤ VGA), tryHarder', make: () => plan([...shipped(), zxingCpp(harder, smallUp)]) },
  stretch: { what: 'kiosk + follow-up: contrast stretch (1 % clip), tryHarder', make: () => plan([...shipped(), zxingCpp(harder, stretchContrast)]) },
  'defaults-pass': { what: 'kiosk + follow-up: ZXing-C++ defaults', make: () => plan([...shipped(), zxingCpp({ ...LIVE_OPTIONS, ...DEFAULTS })]) },
  'up2+stretch': {
    what: 'kiosk + both follow-ups (upscale, stretch)',
    make: () => plan([...shipped(), zxingCpp(harder, smallUp), zxingCpp(harder, stretchContrast)]),
  },
};
