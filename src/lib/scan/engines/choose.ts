// DESIGN §8 decoder chain: native BarcodeDetector → zxing-wasm (worker) → @zxing/library.
import type { DecodeEngine, CameraEngineName } from './engine';
import { createNativeEngine } from './native';
import { createZxingWasmEngine } from './zxing-wasm';

/**
 * @zxing/library is ~100 kB gzipped and only needed where neither the platform detector nor WebAssembly
 * workers run, so it is fetched when that engine is actually started.
 */
function lazyZxingJs(): DecodeEngine {
  let inner: DecodeEngine | undefined;
  return {
    name: 'zxing-js',
    async init() {
      const { createZxingJsEngine } = await import('./zxing-js');
      inner = createZxingJsEngine();
      await inner.init();
    },
    decode: (frame) => (inner ? inner.decode(frame) : Promise.reject(new Error('zxing-js engine used before init()'))),
    dispose() {
      inner?.dispose();
      inner = undefined;
    },
  };
}

export const ENGINE_ORDER: readonly CameraEngineName[] = ['native', 'zxing-wasm', 'zxing-js'];

export const ENGINE_FACTORIES: Record<CameraEngineName, () => DecodeEngine> = {
  native: createNativeEngine,
  'zxing-wasm': createZxingWasmEngine,
  'zxing-js': lazyZxingJs,
};

export interface ChooseOptions {
  /** Try this engine first (diagnostics, benchmarks); the rest of the chain still backs it up. */
  preference?: CameraEngineName;
  /** Only this engine, no fallback (benchmarks). */
  only?: CameraEngineName;
  factories?: Partial<Record<CameraEngineName, () => DecodeEngine>>;
  onSkip?: (name: CameraEngineName, err: unknown) => void;
}

/** The first engine in the chain whose init() succeeds. Rejects only when none can run. */
export async function chooseEngine(opts: ChooseOptions = {}): Promise<DecodeEngine> {
  const order = opts.only
    ? [opts.only]
    : opts.preference
      ? [opts.preference, ...ENGINE_ORDER.filter((n) => n !== opts.preference)]
      : [...ENGINE_ORDER];
  const errors: string[] = [];
  for (const name of order) {
    const engine = (opts.factories?.[name] ?? ENGINE_FACTORIES[name])();
    try {
      await engine.init();
      return engine;
    } catch (err) {
      engine.dispose();
      opts.onSkip?.(name, err);
      errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`No barcode engine could start (${errors.join('; ')})`);
}
