/// <reference types="vite/client" />
// Runs inside Chromium: every contender of variant-candidates.ts reads each variant image as a camera
// pointed at it would deliver it — the same frame again and again — for up to `frames` frames, each with a
// fresh schedule, so a schedule that needs its third follow-up to read a photo is seen needing 3+ frames.
// Decoding runs on this page's thread (the bench only; the kiosk decodes in its worker with the same passes).
import { prepareZXingModule } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { CANDIDATES } from './variant-candidates';
import type { VariantItem } from './variants';

await prepareZXingModule({
  overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
  fireImmediately: true,
});

export interface VariantResult {
  candidate: string;
  /** 1-based frame of the first read of the expected text, null when none within the budget. */
  frame: number | null;
  ms: number[];
}

/** The image as it is, or (`on720p`) centred on a white 1280×720 frame as a kiosk's camera would frame it. */
async function loadImage(item: VariantItem, on720p: boolean): Promise<ImageData> {
  let blob = await (await fetch(item.url)).blob();
  let bmp = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bmp, 0, 0);
  if (item.jpeg !== undefined) {
    blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: item.jpeg });
    bmp = await createImageBitmap(blob);
    ctx.drawImage(bmp, 0, 0);
  }
  if (!on720p) return ctx.getImageData(0, 0, bmp.width, bmp.height);
  const frame = new OffscreenCanvas(1280, 720).getContext('2d', { willReadFrequently: true })!;
  frame.fillStyle = '#fff';
  frame.fillRect(0, 0, 1280, 720);
  const scale = Math.min(1, 1280 / bmp.width, 720 / bmp.height);
  const [w, h] = [bmp.width * scale, bmp.height * scale];
  frame.drawImage(canvas, (1280 - w) / 2, (720 - h) / 2, w, h);
  return frame.getImageData(0, 0, 1280, 720);
}

async function read(item: VariantItem, names: string[], frames: number, on720p: boolean): Promise<VariantResult[]> {
  const img = await loadImage(item, on720p);
  const out: VariantResult[] = [];
  for (const candidate of names) {
    const passes = CANDIDATES[candidate].make();
    const ms: number[] = [];
    let frame: number | null = null;
    for (let f = 1; f <= frames && frame === null; f++) {
      const t0 = performance.now();
      const found = await passes.decode(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height));
      ms.push(performance.now() - t0);
      if (found.some((r) => r.text === item.expected)) frame = f;
    }
    out.push({ candidate, frame, ms });
  }
  return out;
}

/** ms per frame of an empty 1280×720 view (sensor-like noise, no code) over `frames` frames of one schedule. */
function emptyFrame(): ImageData {
  const img = new ImageData(1280, 720);
  let seed = 42;
  for (let i = 0; i < img.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    img.data[i] = img.data[i + 1] = img.data[i + 2] = 110 + (seed % 40);
    img.data[i + 3] = 255;
  }
  return img;
}
async function empty(names: string[], frames: number): Promise<Record<string, number[]>> {
  const img = emptyFrame();
  const passes = names.map((n) => CANDIDATES[n].make());
  const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  // Interleaved frame by frame, so background load hits every schedule alike.
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < names.length; i++) {
      const t0 = performance.now();
      await passes[i].decode(img);
      ms[names[i]].push(performance.now() - t0);
    }
  }
  return ms;
}

(window as unknown as { variantBench: unknown }).variantBench = { read, empty, names: () => Object.keys(CANDIDATES) };
document.getElementById('status')!.textContent = 'ready';
