// The pure-TypeScript ZXing port (@zxing/library, which @zxing/browser wraps): slowest and weakest on
// photographed 1D codes, but it runs everywhere, so it is the chain's last resort.
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  NotFoundException,
  ChecksumException,
  FormatException,
  RGBLuminanceSource,
} from '@zxing/library';
import type { Decoded, DecodeEngine, Frame } from './engine';
import { ZXING_JS_FORMATS, normaliseFormat } from '../formats';

/** RGBA → 8-bit luma with the same integer weights @zxing/browser's canvas luminance source uses. */
export function toLuminance(frame: Frame): Uint8ClampedArray {
  const { data } = frame;
  const out = new Uint8ClampedArray(frame.width * frame.height);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) {
    out[j] = (306 * data[i] + 601 * data[i + 1] + 117 * data[i + 2] + 0x200) >> 10;
  }
  return out;
}

export interface ZxingJsOptions {
  /**
   * ZXing's thorough mode. Default false, as in @zxing/browser: this engine runs on the main thread, and
   * TRY_HARDER costs ~7× more per empty 720p frame for no extra reads on the bench photos.
   */
  tryHarder?: boolean;
}

export function createZxingJsEngine(opts: ZxingJsOptions = {}): DecodeEngine {
  let reader: MultiFormatReader | undefined;
  return {
    name: 'zxing-js',
    async init() {
      reader = new MultiFormatReader();
      const hints = new Map<DecodeHintType, unknown>();
      hints.set(DecodeHintType.POSSIBLE_FORMATS, [
        BarcodeFormat.QR_CODE,
        BarcodeFormat.CODE_128,
        BarcodeFormat.EAN_13,
        BarcodeFormat.EAN_8,
        BarcodeFormat.UPC_A,
        BarcodeFormat.UPC_E,
      ]);
      if (opts.tryHarder ?? false) hints.set(DecodeHintType.TRY_HARDER, true);
      reader.setHints(hints);
    },
    async decode(frame: Frame): Promise<Decoded[]> {
      if (!reader) throw new Error('zxing-js engine used before init()');
      const source = new RGBLuminanceSource(toLuminance(frame), frame.width, frame.height);
      try {
        const bitmap = new BinaryBitmap(new HybridBinarizer(source));
        const result = reader.decodeWithState(bitmap);
        return [{ text: result.getText(), format: normaliseFormat(ZXING_JS_FORMATS, BarcodeFormat[result.getBarcodeFormat()]) }];
      } catch (err) {
        // The library signals "nothing here" with exceptions; those are an empty frame, not a failure.
        if (err instanceof NotFoundException || err instanceof ChecksumException || err instanceof FormatException) return [];
        throw err;
      }
    },
    dispose() {
      reader?.reset();
      reader = undefined;
    },
  };
}
