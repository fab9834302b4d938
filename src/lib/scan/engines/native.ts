// The platform's own detector (Android/ChromeOS/macOS Chrome, Safari): fastest and free of downloads.
// Only used when it reads both wallet symbologies; a detector that lacks Code 128 would silently miss
// half of the wallet codes, so the chain falls through instead.
import type { Decoded, DecodeEngine, Frame } from './engine';
import { NATIVE_FORMATS, normaliseFormat } from '../formats';

interface DetectedBarcode {
  rawValue: string;
  format: string;
}
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorCtor {
  new (opts?: { formats?: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

const REQUIRED = ['qr_code', 'code_128'];

function detectorCtor(): BarcodeDetectorCtor | undefined {
  return (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
}

/** True when a native BarcodeDetector exists and supports QR and Code 128. */
export async function nativeSupported(): Promise<boolean> {
  const Ctor = detectorCtor();
  if (!Ctor) return false;
  try {
    const formats = await Ctor.getSupportedFormats();
    return REQUIRED.every((f) => formats.includes(f));
  } catch {
    return false;
  }
}

export function createNativeEngine(): DecodeEngine {
  let detector: BarcodeDetectorLike | undefined;
  return {
    name: 'native',
    async init() {
      const Ctor = detectorCtor();
      if (!Ctor || !(await nativeSupported())) throw new Error('BarcodeDetector with qr_code and code_128 is not available');
      const supported = await Ctor.getSupportedFormats();
      detector = new Ctor({ formats: Object.keys(NATIVE_FORMATS).filter((f) => supported.includes(f)) });
    },
    async decode(frame: Frame): Promise<Decoded[]> {
      if (!detector) throw new Error('native engine used before init()');
      const found = await detector.detect(frame);
      return found.map((b) => ({ text: b.rawValue, format: normaliseFormat(NATIVE_FORMATS, b.format) }));
    },
    dispose() {
      detector = undefined;
    },
  };
}
