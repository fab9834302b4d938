// Which settings each camera frame is read with. A camera gives many frames of the same scene a second, so
// rather than one setting for every frame, each frame gets the quick live pass first (most codes are read
// there, in a few ms) and, when that reads nothing, a thorough pass taken in turn from a list of
// alternatives that each rescue different photos (measured on the variant bench, bench/scan/variants.ts:
// a ×2 zoom, downscaling, a second binariser, denoising, the inverted/rotated pass, the other engine), most
// rescuing first. Cycling through them across frames reads what any of them would within a few frames.
// Follow-ups run on every frame where the live pass located a symbol it could not read (cropped to it:
// cheaper, and the binariser sees only the code), and only on every `idleEvery`th frame otherwise, so an
// empty view does not keep a tablet's core busy.
import type { ReaderOptions } from 'zxing-wasm/reader';
import type { Region } from './frame-crop';

export const KIOSK_FORMATS: ReaderOptions['formats'] = ['QRCode', 'Code128', 'EAN13', 'EAN8', 'UPCA', 'UPCE'];

/** The per-frame pass: wallet and retail codes are dark on light, and most are read without tryHarder. */
export const LIVE_OPTIONS: ReaderOptions = {
  formats: KIOSK_FORMATS,
  tryHarder: false,
  tryInvert: false,
  // Plain keeps control characters as they are (the default "HRI" mode rewrites them as <SOH> etc.).
  textMode: 'Plain',
  // More than one: the wallet page shows a QR and a Code 128 together, and a frame may hold a code inside
  // another (the bench's "double QR" photo); stopping at the first symbol found can return the wrong one.
  maxNumberOfSymbols: 4,
};

/**
 * The first follow-up, on the input zoomed ×2 (frame-prep.ts zoomIn: a crop or small frame whole, a large
 * frame's centre): ZXing-C++ has no upscaling of its own, and a code far from the camera, blurred or noisy
 * is read far more often at twice its size (variant bench: it alone rescues 48 of 744 harder photos ZXing-C++
 * with its defaults misses, more than the other follow-ups together).
 */
export const ZOOM_OPTIONS: ReaderOptions = { ...LIVE_OPTIONS, tryHarder: true, tryDenoise: true };

/** ZXing-C++ settings tried one per frame, in turn, after the zoom, where the live pass read nothing; in
 *  order of how many variant-bench photos each rescues alone. */
export const FOLLOW_UP_OPTIONS: readonly ReaderOptions[] = [
  // Large, coarse codes in a big frame, and noise: ZXing reads them better from a half-size image.
  { ...LIVE_OPTIONS, tryHarder: true, tryDownscale: true, downscaleThreshold: 300, downscaleFactor: 2 },
  // Uneven lighting defeats the local binariser in places where a global threshold still works.
  { ...LIVE_OPTIONS, tryHarder: true, binarizer: 'GlobalHistogram' },
  // Blurred, noisy photos (out of focus phone shots): a closing filter before binarising.
  { ...LIVE_OPTIONS, tryHarder: true, tryDenoise: true },
  // Light on dark (a phone in dark mode, a printed negative) and rotated 1D codes.
  { ...LIVE_OPTIONS, tryHarder: true, tryInvert: true, tryRotate: true },
];

export interface PassResult {
  isValid: boolean;
  text: string;
  format: string;
  /** Where the symbol was found (ZXing-C++ only), in the coordinates of the frame it was read from. */
  region?: Region;
}

/** One way of reading a frame; `region` narrows it to where the live pass located a symbol. */
export type Pass<F> = (frame: F, region?: Region) => Promise<PassResult[]>;

export interface FramePassesOptions<F> {
  live: Pass<F>;
  followUps: readonly Pass<F>[];
  /** With nothing located, a follow-up runs on one frame in this many. */
  idleEvery?: number;
}

export class FramePasses<F> {
  #turn = 0;
  #idleFrames = 0;
  constructor(private readonly opts: FramePassesOptions<F>) {}

  async decode(frame: F): Promise<PassResult[]> {
    const found = await this.opts.live(frame);
    const read = valid(found);
    if (read.length > 0 || this.opts.followUps.length === 0) return read;
    const located = found.find((r) => !r.isValid && r.region)?.region;
    if (!located && ++this.#idleFrames % (this.opts.idleEvery ?? 4) !== 0) return [];
    const pass = this.opts.followUps[this.#turn];
    this.#turn = (this.#turn + 1) % this.opts.followUps.length;
    return valid(await pass(frame, located));
  }
}

const valid = (found: PassResult[]) => found.filter((r) => r.isValid);
