/// <reference types="vite/client" />
// ZXing-C++ (WebAssembly) off the main thread, so decoding a 720p frame never janks the Pay screen.
// The .wasm is bundled as one of our own assets: the library's default would fetch it from a public
// CDN, which a kiosk on a locked-down store network cannot reach (and must not depend on).
import { prepareZXingModule } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { WorkerRequest, WorkerResponse } from './zxing-wasm.protocol';
import { workerPasses } from './worker-passes';

let passes = workerPasses();
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
      // Explicit settings (benchmarks) are used alone on every frame; the kiosk sends none.
      passes = workerPasses(msg.options);
      reply = { id: msg.id, ok: true, results: [] };
    } else {
      const t0 = performance.now();
      const found = await passes.decode(msg.frame);
      reply = {
        id: msg.id,
        ok: true,
        results: found.map((r) => ({ text: r.text, format: r.format })),
        workerMs: performance.now() - t0,
      };
    }
  } catch (err) {
    reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(reply);
};
