// The contract every decoder satisfies, so the camera loop, the bench and diagnostics can swap them.
import type { ScanEngine } from '../types';

export interface Decoded {
  text: string;
  /** ZXing-style name (see formats.ts). */
  format: string;
}

/** A frame to decode. Engines may take ownership of it (the worker engine transfers the pixel buffer). */
export type Frame = ImageData;

export interface DecodeEngine {
  readonly name: Exclude<ScanEngine, 'wedge' | 'manual' | 'hid' | 'serial'>;
  /** Loads the decoder; rejects when this engine cannot run here (the chain then tries the next one). */
  init(): Promise<void>;
  /** Every code found in the frame; [] when none. Rejects only on engine failure. */
  decode(frame: Frame): Promise<Decoded[]>;
  dispose(): void;
}

export type CameraEngineName = DecodeEngine['name'];
