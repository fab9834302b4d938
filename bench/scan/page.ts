// Runs inside Chromium. All engines are loaded together and take turns on every image and every empty
// frame, so a background load spike on this shared 2-core machine hits them alike. Timing is taken
// around engine.decode() only, as the camera loop sees it (zxing-wasm: including the trip to its worker
// and back); image loading and frame copies stay outside the clock.
import { ENGINE_FACTORIES } from '../../src/lib/scan/engines/choose';
import { createZxingWasmEngine } from '../../src/lib/scan/engines/zxing-wasm';
import { nativeSupported } from '../../src/lib/scan/engines/native';
import type { CameraEngineName, DecodeEngine } from '../../src/lib/scan/engines/engine';

// Dynamic, as in the chain, so the bundle splits the same way the kiosk's does.
const { createZxingJsEngine } = await import('../../src/lib/scan/engines/zxing-js');

/** The chain's engines as the kiosk configures them, plus the libraries' thorough modes for reference. */
export type BenchEngine = CameraEngineName | 'zxing-wasm-thorough' | 'zxing-js-harder';
const FACTORIES: Record<BenchEngine, () => DecodeEngine> = {
  ...ENGINE_FACTORIES,
  'zxing-wasm-thorough': () => createZxingWasmEngine({ readerOptions: { tryHarder: true, tryInvert: true } }),
  'zxing-js-harder': () => createZxingJsEngine({ tryHarder: true }),
};

export interface BenchItem {
  folder: string;
  name: string;
  url: string;
  expected: string;
}
export interface ItemResult {
  folder: string;
  name: string;
  ok: boolean;
  got: string[];
  ms: number[];
}
export interface EngineRun {
  engine: BenchEngine;
  available: boolean;
  reason?: string;
  items: ItemResult[];
  emptyMs: number[];
}

async function loadImage(url: string): Promise<ImageData> {
  const blob = await (await fetch(url)).blob();
  const bmp = await createImageBitmap(blob);
  const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#fff'; // transparent PNG pixels read as white, as on paper
  ctx.fillRect(0, 0, bmp.width, bmp.height);
  ctx.drawImage(bmp, 0, 0);
  return ctx.getImageData(0, 0, bmp.width, bmp.height);
}

/** A 1280×720 frame with camera-like sensor noise and no code in it (deterministic). */
function emptyFrame(): ImageData {
  const img = new ImageData(1280, 720);
  let seed = 42;
  for (let i = 0; i < img.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const v = 110 + (seed % 40);
    img.data[i] = img.data[i + 1] = img.data[i + 2] = v;
    img.data[i + 3] = 255;
  }
  return img;
}

const copy = (f: ImageData) => new ImageData(new Uint8ClampedArray(f.data), f.width, f.height);

async function timed(engine: DecodeEngine, f: ImageData) {
  const frame = copy(f); // the worker engine takes ownership of the pixels
  const t0 = performance.now();
  const out = await engine.decode(frame);
  return { ms: performance.now() - t0, out };
}

async function runAll(names: BenchEngine[], items: BenchItem[], repeats: number, emptyRuns: number): Promise<EngineRun[]> {
  const runs: EngineRun[] = [];
  const live: { run: EngineRun; engine: DecodeEngine }[] = [];
  for (const name of names) {
    if (name === 'native' && !(await nativeSupported())) {
      runs.push({
        engine: name,
        available: false,
        reason: 'BarcodeDetector not present (or lacks qr_code/code_128)',
        items: [],
        emptyMs: [],
      });
      continue;
    }
    const engine = FACTORIES[name]();
    try {
      await engine.init();
    } catch (err) {
      runs.push({ engine: name, available: false, reason: String(err), items: [], emptyMs: [] });
      continue;
    }
    const run: EngineRun = { engine: name, available: true, items: [], emptyMs: [] };
    runs.push(run);
    live.push({ run, engine });
  }
  const images = await Promise.all(items.map((it) => loadImage(it.url)));
  const empty = emptyFrame();
  for (const { engine } of live) for (let i = 0; i < 3; i++) await timed(engine, i === 0 ? empty : images[i % images.length]); // warm-up
  for (let i = 0; i < items.length; i++) {
    for (const { run, engine } of live) {
      const ms: number[] = [];
      let got: string[] = [];
      for (let r = 0; r < repeats; r++) {
        const res = await timed(engine, images[i]);
        ms.push(res.ms);
        if (r === 0) got = res.out.map((d) => d.text);
      }
      run.items.push({ folder: items[i].folder, name: items[i].name, ok: got.includes(items[i].expected), got, ms });
    }
  }
  for (let i = 0; i < emptyRuns; i++) for (const { run, engine } of live) run.emptyMs.push((await timed(engine, empty)).ms);
  for (const { engine } of live) engine.dispose();
  return runs;
}

(window as unknown as { scanBench: unknown }).scanBench = { runAll };
document.getElementById('status')!.textContent = 'ready';
