/// <reference types="vite/client" />
// ZXing-C++ (WebAssembly) off the main thread, so decoding a 720p frame never janks the Pay screen.
// The .wasm is bundled as one of our own assets: the library's default would fetch it from a public
// CDN, which a kiosk on a locked-down store network cannot reach (and must not depend on).
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { WASM_FORMATS, normaliseFormat } from '../formats';
import type { WorkerRequest, WorkerResponse } from './zxing-wasm.protocol';

// Tuned for live video (measured in bench/scan): a camera delivers many frames a second, so a quick pass per
// frame reads a code sooner than a thorough pass (tryHarder) on fewer frames. Wallet and retail codes are
// dark on light, so the inverted-image pass (tryInvert) would only double the cost of every empty frame.
const LIVE_OPTIONS: ReaderOptions = {
  formats: ['QRCode', 'Code128', 'EAN13', 'EAN8', 'UPCA', 'UPCE'],
  tryHarder: false,
  tryInvert: false,
  // Plain keeps control characters as they are (the default "HRI" mode rewrites them as <SOH> etc.).
  textMode: 'Plain',
  // More than one: the wallet page shows a QR and a Code 128 together, and a frame may hold a code inside
  // another (the bench's "double QR" photo); stopping at the first symbol found can return the wrong one.
  maxNumberOfSymbols: 4,
};

let options: ReaderOptions = LIVE_OPTIONS;
let ready: Promise<unknown> | undefined;
function load(): Promise<unknown> {
  ready ??= prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
    fireImmediately: true,
  });
  return ready;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const msg = ev.data;
  let reply: WorkerResponse;
  try {
    await load();
    if (msg.type === 'init') {
      options = { ...LIVE_OPTIONS, ...msg.options };
      reply = { id: msg.id, ok: true, results: [] };
    } else {
      const t0 = performance.now();
      const found = await readBarcodes(msg.frame, options);
      reply = {
        id: msg.id,
        ok: true,
        results: found.filter((r) => r.isValid).map((r) => ({ text: r.text, format: normaliseFormat(WASM_FORMATS, r.format) })),
        workerMs: performance.now() - t0,
      };
    }
  } catch (err) {
    reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(reply);
};
