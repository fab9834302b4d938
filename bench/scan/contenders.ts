// The camera contenders both camera benches run (camera-page.ts, latency-page.ts): the kiosk through its own
// camera loop (src/lib/scan: openCamera → startScanLoop → the zxing-wasm worker), zxing-wasm alone with fixed
// settings through that same loop, and the two libraries a web POS would otherwise pick, each through its own
// camera API with its defaults (@zxing/browser, html5-qrcode).
import { BrowserMultiFormatReader } from '@zxing/browser';
import { Html5Qrcode } from 'html5-qrcode';
import type { ReaderOptions } from 'zxing-wasm/reader';
import { openCamera } from '../../src/lib/scan/camera';
import { startScanLoop } from '../../src/lib/scan/loop';
import { createZxingWasmEngine } from '../../src/lib/scan/engines/zxing-wasm';

export type CameraContender = 'kiosk' | 'zxing-wasm-live' | 'zxing-wasm-defaults' | '@zxing/browser' | 'html5-qrcode';

/** zxing-wasm's own defaults (tryHarder, tryRotate, tryInvert, tryDownscale all on) vs the old live pass. */
const FIXED: Record<string, ReaderOptions> = {
  'zxing-wasm-live': {},
  'zxing-wasm-defaults': { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true },
};

/** Prepares a contender (the wasm engines load before the clock starts); `start` opens the camera and reads. */
export async function prepareContender(
  contender: CameraContender,
  video: HTMLVideoElement,
  html5Host: string,
): Promise<(hit: (text: string) => void) => Promise<() => void>> {
  if (contender === '@zxing/browser') {
    const reader = new BrowserMultiFormatReader();
    return async (hit) => {
      const controls = await reader.decodeFromVideoDevice(undefined, video, (r) => r && hit(r.getText()));
      return () => controls.stop();
    };
  }
  if (contender === 'html5-qrcode') {
    const reader = new Html5Qrcode(html5Host, { verbose: false });
    return async (hit) => {
      await reader.start({ facingMode: 'environment' }, { fps: 10 }, (text) => hit(text), undefined);
      return () => void reader.stop().catch(() => undefined);
    };
  }
  const engine = createZxingWasmEngine(contender === 'kiosk' ? {} : { readerOptions: FIXED[contender] });
  await engine.init();
  return async (hit) => {
    const session = await openCamera(video);
    const loop = startScanLoop({ engine, video, onResult: (r) => hit(r.text) });
    return () => {
      loop.stop();
      session.stop();
      engine.dispose();
    };
  };
}
