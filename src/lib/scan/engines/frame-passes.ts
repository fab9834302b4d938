// Which ZXing-C++ settings each camera frame is read with. A camera gives many frames of the same scene a
// second, so rather than one setting for every frame, each frame gets the quick live pass first (most codes
// are read there, in a few ms) and, only when that finds nothing, one thorough pass taken in turn from a
// list of alternatives that each rescue different photos (measured on the ZXing black-box photos: a
// denoising pass, a downscaled pass, the inverted-image pass, a second binariser). Cycling through them
// across frames reads what any of them would, within a few frames, without making every empty frame slow.
import type { ReaderOptions } from 'zxing-wasm/reader';

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

/** Tried one per frame, in turn, on frames where the live pass read nothing. */
export const FOLLOW_UP_PASSES: readonly ReaderOptions[] = [
  // Blurred, noisy photos (out of focus phone shots): a closing filter before binarising.
  { ...LIVE_OPTIONS, tryHarder: true, tryDenoise: true },
  // Large, coarse codes in a big frame: ZXing reads them better from a half-size image.
  { ...LIVE_OPTIONS, tryHarder: true, tryDownscale: true, downscaleThreshold: 300, downscaleFactor: 2 },
  // Light on dark (a phone in dark mode, a printed negative) and rotated 1D codes.
  { ...LIVE_OPTIONS, tryHarder: true, tryInvert: true, tryRotate: true },
  // Uneven lighting defeats the local binariser in places where a global threshold still works.
  { ...LIVE_OPTIONS, tryHarder: true, binarizer: 'GlobalHistogram' },
];

export interface PassResult {
  isValid: boolean;
  text: string;
  format: string;
}

export type ReadFrame<F> = (frame: F, options: ReaderOptions) => Promise<PassResult[]>;

/**
 * Reads frames with the live pass, then (when it read nothing) the next follow-up pass. One instance per
 * camera session; `fixed` settings (benchmarks comparing one configuration) turn the follow-ups off.
 */
export class FramePasses<F> {
  #turn = 0;
  constructor(
    private readonly read: ReadFrame<F>,
    private readonly fixed?: ReaderOptions,
  ) {}

  async decode(frame: F): Promise<PassResult[]> {
    if (this.fixed) return valid(await this.read(frame, this.fixed));
    const live = valid(await this.read(frame, LIVE_OPTIONS));
    if (live.length > 0) return live;
    const pass = FOLLOW_UP_PASSES[this.#turn];
    this.#turn = (this.#turn + 1) % FOLLOW_UP_PASSES.length;
    return valid(await this.read(frame, pass));
  }
}

const valid = (found: PassResult[]) => found.filter((r) => r.isValid);
