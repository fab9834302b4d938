// Main-thread side of the ZXing-C++ WebAssembly engine: a small RPC over postMessage to the worker.
import type { Decoded, DecodeEngine, Frame } from './engine';
import type { ReaderOptions } from 'zxing-wasm/reader';
import type { WorkerRequest, WorkerResponse } from './zxing-wasm.protocol';

/** Loading the .wasm (~1 MB) can take a while on a slow tablet, but a hung worker must not stall the chain. */
const INIT_TIMEOUT_MS = 15_000;

/** readerOptions override the worker's live-video defaults (the bench compares settings with it). */
export function createZxingWasmEngine(opts: { readerOptions?: ReaderOptions } = {}): DecodeEngine {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: Decoded[]) => void; reject: (e: Error) => void }>();

  function failAll(err: Error) {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  }

  function call(req: WorkerRequest, transfer: Transferable[] = []): Promise<Decoded[]> {
    if (!worker) return Promise.reject(new Error('zxing-wasm engine used before init()'));
    const w = worker;
    return new Promise((resolve, reject) => {
      pending.set(req.id, { resolve, reject });
      w.postMessage(req, transfer);
    });
  }

  return {
    name: 'zxing-wasm',
    async init() {
      if (worker) return;
      worker = new Worker(new URL('./zxing-wasm.worker.ts', import.meta.url), { type: 'module', name: 'zxing-wasm' });
      worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
        const msg = ev.data;
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.results);
        else p.reject(new Error(`zxing-wasm: ${msg.error}`));
      };
      worker.onerror = (ev) => failAll(new Error(`zxing-wasm worker failed: ${ev.message || 'error'}`));
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          call({ id: nextId++, type: 'init', options: opts.readerOptions }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('zxing-wasm did not load in time')), INIT_TIMEOUT_MS);
          }),
        ]);
      } catch (err) {
        this.dispose();
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
    decode(frame: Frame) {
      // Transfer rather than copy: a 720p RGBA frame is 3.7 MB; the caller hands the frame over.
      return call({ id: nextId++, type: 'decode', frame }, [frame.data.buffer]);
    },
    dispose() {
      worker?.terminate();
      worker = undefined;
      failAll(new Error('zxing-wasm engine disposed'));
    },
  };
}
