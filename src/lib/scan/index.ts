// Public scanning API for screens (Pay, Diagnostics). Everything a screen needs is here:
//
//   const scanner = createCameraScanner({ onResult: (r) => … });
//   await scanner.start(videoEl);            // rear camera, decoder chain chosen on first start
//   scanner.listCameras(); scanner.torchSupported(); await scanner.setTorch(true);
//   scanner.stop();                          // on leave (onDestroy): releases the camera and the decoder
//
//   const detach = attachWedge(window, { onBurst, onScan });   // keyboard-wedge scanner, no focus needed
import type { ScanEngine, ScanResult } from './types';
import type { CameraEngineName, DecodeEngine } from './engines/engine';
import { chooseEngine } from './engines/choose';
import { listCameras, openCamera, type CameraInfo, type CameraSession } from './camera';
import { startScanLoop } from './loop';

export type { ScanEngine, ScanResult, WedgeBurst } from './types';
export type { CameraInfo } from './camera';
export type { CameraEngineName, DecodeEngine, Decoded } from './engines/engine';
export { chooseEngine, ENGINE_ORDER } from './engines/choose';
export { attachWedge, burstToScan, median, WedgeDetector, type AttachWedgeOptions, type WedgeOptions } from './wedge';
export { pickDefaultCamera } from './camera';

export interface CameraScannerOptions {
  /** Each newly seen code (the same text is reported again only after ~1.5 s out of view). */
  onResult: (r: ScanResult) => void;
  /** Decoder or camera trouble while running (start() itself rejects with a readable message). */
  onError?: (err: unknown) => void;
  /** Every decode attempt, for diagnostics. */
  onFrame?: (info: { decodeMs: number; found: number }) => void;
  /** Engine to try first; the rest of the chain still backs it up. */
  preferEngine?: CameraEngineName;
  dedupeMs?: number;
}

export interface CameraScanner {
  /** Opens the camera (deviceId, or the default rear camera) into `video` and starts decoding. */
  start(video: HTMLVideoElement, deviceId?: string): Promise<CameraInfo>;
  /** Releases the camera and the decoder. Idempotent. */
  stop(): void;
  /** Video inputs; labels are only filled in once camera permission has been granted. */
  listCameras(): Promise<CameraInfo[]>;
  torchSupported(): boolean;
  setTorch(on: boolean): Promise<void>;
  /** The engine decoding frames, or null before the first start() has chosen one. */
  engineName(): ScanEngine | null;
  /** The camera in use, or null when stopped. */
  currentCamera(): CameraInfo | null;
}

export function createCameraScanner(opts: CameraScannerOptions): CameraScanner {
  let engine: DecodeEngine | undefined;
  let enginePromise: Promise<DecodeEngine> | undefined;
  let cam: CameraSession | undefined;
  let loop: { stop(): void } | undefined;
  // Each start() supersedes the previous one; a slow getUserMedia that resolves late must not win.
  let generation = 0;

  function stopCamera() {
    loop?.stop();
    loop = undefined;
    cam?.stop();
    cam = undefined;
  }

  return {
    async start(video, deviceId) {
      const gen = ++generation;
      stopCamera();
      const pendingEngine = (enginePromise ??= chooseEngine({ preference: opts.preferEngine }));
      const [e, c] = await Promise.allSettled([pendingEngine, openCamera(video, { deviceId })]);
      if (gen !== generation) {
        if (c.status === 'fulfilled') c.value.stop();
        // stop() ran meanwhile and forgot this engine promise: nobody else will dispose the engine.
        if (e.status === 'fulfilled' && enginePromise !== pendingEngine) e.value.dispose();
        // AbortError: a newer start()/stop() won; screens can ignore it (e.g. a quick camera switch).
        throw new DOMException('Camera start was superseded', 'AbortError');
      }
      if (e.status === 'rejected') {
        if (c.status === 'fulfilled') c.value.stop();
        enginePromise = undefined;
        throw e.reason;
      }
      engine = e.value;
      if (c.status === 'rejected') throw c.reason;
      const session = c.value;
      cam = session;
      loop = startScanLoop({
        engine: e.value,
        video,
        onResult: opts.onResult,
        onError: opts.onError,
        onFrame: opts.onFrame,
        dedupeMs: opts.dedupeMs,
      });
      return session.camera;
    },
    stop() {
      generation++;
      stopCamera();
      engine?.dispose();
      engine = undefined;
      enginePromise = undefined;
    },
    listCameras,
    torchSupported: () => cam?.torchSupported() ?? false,
    async setTorch(on) {
      if (!cam) throw new Error('Camera is not running');
      await cam.setTorch(on);
    },
    engineName: () => engine?.name ?? null,
    currentCamera: () => cam?.camera ?? null,
  };
}
