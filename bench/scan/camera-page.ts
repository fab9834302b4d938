// Runs inside Chromium whose fake camera plays one photographed code (a .y4m made by camera-run.ts). Each
// contender reads the live camera its own way until it returns the expected text or the time is up:
// the kiosk through its own camera loop (src/lib/scan: openCamera → startScanLoop → the zxing-wasm worker),
// zxing-wasm alone with fixed settings through that same loop, and the two libraries a web POS would
// otherwise pick, each through its own camera API with its defaults (@zxing/browser, html5-qrcode).
import { BrowserMultiFormatReader } from '@zxing/browser';
import { Html5Qrcode } from 'html5-qrcode';
import type { ReaderOptions } from 'zxing-wasm/reader';
import { openCamera } from '../../src/lib/scan/camera';
import { startScanLoop } from '../../src/lib/scan/loop';
import { createZxingWasmEngine } from '../../src/lib/scan/engines/zxing-wasm';

export type CameraContender = 'kiosk' | 'zxing-wasm-live' | 'zxing-wasm-defaults' | '@zxing/browser' | 'html5-qrcode';
export interface CameraRun {
  ok: boolean;
  /** Camera playing → the expected text decoded (or the timeout). */
  ms: number;
  got: string[];
}

/** zxing-wasm's own defaults (tryHarder, tryRotate, tryInvert, tryDownscale all on) vs the old live pass. */
const FIXED: Record<string, ReaderOptions> = {
  'zxing-wasm-live': {},
  'zxing-wasm-defaults': { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true },
};

const video = document.getElementById('video') as HTMLVideoElement;

function race(expected: string, timeoutMs: number, start: (hit: (text: string) => void) => Promise<() => void>): Promise<CameraRun> {
  return new Promise((resolve, reject) => {
    const got = new Set<string>();
    let t0 = 0;
    let stop: (() => void) | undefined;
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop?.();
      resolve({ ok, ms: performance.now() - t0, got: [...got] });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    t0 = performance.now();
    start((text) => {
      got.add(text);
      if (text === expected) finish(true);
    }).then((s) => (done ? s() : (stop = s)), reject);
  });
}

async function run(contender: CameraContender, expected: string, timeoutMs: number): Promise<CameraRun> {
  if (contender === '@zxing/browser') {
    const reader = new BrowserMultiFormatReader();
    return race(expected, timeoutMs, async (hit) => {
      const controls = await reader.decodeFromVideoDevice(undefined, video, (r) => r && hit(r.getText()));
      return () => controls.stop();
    });
  }
  if (contender === 'html5-qrcode') {
    const reader = new Html5Qrcode('html5qr', { verbose: false });
    return race(expected, timeoutMs, async (hit) => {
      await reader.start({ facingMode: 'environment' }, { fps: 10 }, (text) => hit(text), undefined);
      return () => void reader.stop().catch(() => undefined);
    });
  }
  const engine = createZxingWasmEngine(contender === 'kiosk' ? {} : { readerOptions: FIXED[contender] });
  await engine.init();
  return race(expected, timeoutMs, async (hit) => {
    const session = await openCamera(video);
    const loop = startScanLoop({ engine, video, onResult: (r) => hit(r.text) });
    return () => {
      loop.stop();
      session.stop();
      engine.dispose();
    };
  });
}

(window as unknown as { cameraBench: unknown }).cameraBench = { run };
