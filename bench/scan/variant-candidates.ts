// The contenders of the variant bench, each a FramePasses schedule built from the worker's own passes: the
// two ZXing-C++ references (its defaults, tryHarder + tryInvert) with one fixed setting on every frame, the
// kiosk's schedule as shipped, candidate changes to it, and each follow-up alone after the live pass
// ("solo:"), which measures what that one pass rescues.
import { FramePasses, LIVE_OPTIONS, ZOOM_OPTIONS, type Pass } from '../../src/lib/scan/engines/frame-passes';
import { otherEngine, workerPasses, zxingCpp, type Prep } from '../../src/lib/scan/engines/worker-passes';
import { upscale2x, zoomIn } from '../../src/lib/scan/engines/frame-prep';
import { stretchContrast } from './candidate-prep';

/** zxing-wasm's own defaults, as the camera benches' "zxing-wasm-defaults" contender sets them. */
export const DEFAULTS = { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true };

/** Upscale only inputs up to VGA (a crop, or a small frame): a 720p frame doubled would cost ~4× a read. */
const smallUp: Prep = (img) => (img.width * img.height <= 640 * 480 ? upscale2x(img) : undefined);

const harder = { ...LIVE_OPTIONS, tryHarder: true };
const PASSES: Record<string, () => Pass<ImageData>> = {
  // The four ZXing-C++ follow-ups the kiosk shipped with (src/lib/scan/engines/frame-passes.ts).
  denoise: () => zxingCpp({ ...harder, tryDenoise: true }),
  half: () => zxingCpp({ ...harder, tryDownscale: true, downscaleThreshold: 300, downscaleFactor: 2 }),
  'invert-rotate': () => zxingCpp({ ...harder, tryInvert: true, tryRotate: true }),
  'global-hist': () => zxingCpp({ ...harder, binarizer: 'GlobalHistogram' }),
  'zxing-js': () => otherEngine,
  up2: () => zxingCpp(harder, smallUp),
  'up2-denoise': () => zxingCpp({ ...harder, tryDenoise: true }, smallUp),
  zoom: () => zxingCpp(ZOOM_OPTIONS, zoomIn),
  stretch: () => zxingCpp(harder, stretchContrast),
  defaults: () => zxingCpp({ ...LIVE_OPTIONS, ...DEFAULTS }),
  third: () => zxingCpp({ ...harder, tryDownscale: true, downscaleThreshold: 300, downscaleFactor: 3 }),
};
const SHIPPED = ['denoise', 'half', 'invert-rotate', 'global-hist', 'zxing-js'];
const NOW = ['zoom', 'half', 'global-hist', 'denoise', 'invert-rotate', 'zxing-js'];

const live = () => zxingCpp({ ...LIVE_OPTIONS, returnErrors: true });
const plan = (names: string[], idleEvery = 4) => new FramePasses({ live: live(), followUps: names.map((n) => PASSES[n]()), idleEvery });

interface Candidate {
  what: string;
  make: () => FramePasses<ImageData>;
}
const solo = Object.fromEntries(
  Object.keys(PASSES).map((p): [string, Candidate] => [
    `solo:${p}`,
    { what: `live pass, then ${p} on every unread frame`, make: () => plan([p], 1) },
  ]),
);

export const CANDIDATES: Record<string, Candidate> = {
  'zxing-wasm-defaults': { what: 'ZXing-C++ alone, its defaults, every frame (baseline)', make: () => workerPasses(DEFAULTS) },
  'zxing-wasm-thorough': {
    what: 'ZXing-C++ tryHarder + tryInvert, every frame',
    make: () => workerPasses({ tryHarder: true, tryInvert: true }),
  },
  'kiosk-before': { what: 'the kiosk before this change (live pass + 5 follow-ups in turn)', make: () => plan(SHIPPED) },
  kiosk: {
    what: 'the kiosk now (src/lib/scan/engines/worker-passes.ts): zoom ×2 first, then the others by rescue rate',
    make: () => workerPasses(),
  },
  'kiosk-idle-2': { what: 'the kiosk now, a follow-up on 1 in 2 frames when nothing is located (not 1 in 4)', make: () => plan(NOW, 2) },
  'idle-every-1': {
    what: 'kiosk before, a follow-up on every unread frame (not 1 in 4 when nothing is located)',
    make: () => plan(SHIPPED, 1),
  },
  'up2+stretch': { what: 'kiosk before + upscale and stretch follow-ups', make: () => plan([...SHIPPED, 'up2', 'stretch']) },
  ...solo,
};
