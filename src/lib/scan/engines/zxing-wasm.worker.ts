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

interface ResultVector {
  delete(): void;
}
type ReaderModule = Record<'readBarcodesFromPixmap' | 'readBarcodesFromImage', (...args: unknown[]) => ResultVector>;

/**
 * zxing-wasm 3.1.4's readBarcodes() copies each result out of the C++ std::vector it gets from the module but
 * never calls .delete() on that vector, so every frame with a symbol in it left the vector, its results and
 * their embind handles behind (measured: +0.22 MB of worker heap per 1,000 decodes, bench/scan/worker-heap.ts).
 * Wrapping the module's two read functions lets us free the vector once readBarcodes() has copied it; reads are
 * one at a time in this worker (the engine waits for each reply), so "the last vector" is always this read's.
 */
let pendingVectors: ResultVector[] = [];
function freeResultVectors(module: unknown): unknown {
  const m = module as ReaderModule;
  for (const name of ['readBarcodesFromPixmap', 'readBarcodesFromImage'] as const) {
    const read = m[name].bind(m);
    m[name] = (...args: unknown[]) => {
      const v = read(...args);
      pendingVectors.push(v);
      return v;
    };
  }
  return module;
}
function releaseReadVectors(): void {
  for (const v of pendingVectors) v.delete();
  pendingVectors = [];
}
function load(): Promise<unknown> {
  ready ??= prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
    fireImmediately: true,
  }).then(freeResultVectors);
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
      const found = await passes.decode(msg.frame).finally(releaseReadVectors);
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
