// Runs inside Chromium whose fake camera plays one photographed code (a .y4m made by camera-run.ts). Each
// contender reads the live camera its own way until it returns the expected text or the time is up:
// the kiosk through its own camera loop (src/lib/scan: openCamera → startScanLoop → the zxing-wasm worker),
// zxing-wasm alone with fixed settings through that same loop, and the two libraries a web POS would
// otherwise pick, each through its own camera API with its defaults (@zxing/browser, html5-qrcode).
import { prepareContender, type CameraContender } from './contenders';

export type { CameraContender } from './contenders';
export interface CameraRun {
  ok: boolean;
  /** Camera playing → the expected text decoded (or the timeout). */
  ms: number;
  got: string[];
}

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
  const start = await prepareContender(contender, video, 'html5qr');
  return race(expected, timeoutMs, start);
}

(window as unknown as { cameraBench: unknown }).cameraBench = { run };
