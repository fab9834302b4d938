// Decodes many frames in the kiosk's zxing-wasm worker; worker-heap.ts reads the worker's heap between rounds.
import QRCode from 'qrcode';
import { createZxingWasmEngine } from '../../src/lib/scan/engines/zxing-wasm';

const engine = createZxingWasmEngine();
const ready = engine.init();

function noiseFrame(seed: number): ImageData {
  const img = new ImageData(1280, 720);
  for (let i = 0; i < img.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    img.data[i] = img.data[i + 1] = img.data[i + 2] = 110 + (seed % 40);
    img.data[i + 3] = 255;
  }
  return img;
}

/** A 720p frame with a wallet-sized QR in the middle: the read path (results, strings) is exercised too. */
async function codeFrame(): Promise<ImageData> {
  const canvas = document.createElement('canvas');
  await QRCode.toCanvas(canvas, '286512345678901234', { width: 400, margin: 4 });
  const ctx = new OffscreenCanvas(1280, 720).getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 1280, 720);
  ctx.drawImage(canvas, 440, 160);
  return ctx.getImageData(0, 0, 1280, 720);
}

/** Decodes n frames, alternating an empty one and one with a code; returns how many reads came back. */
async function decodeMany(n: number): Promise<number> {
  await ready;
  const frames = [noiseFrame(42), await codeFrame()];
  let reads = 0;
  for (let i = 0; i < n; i++) {
    const f = frames[i % 2];
    reads += (await engine.decode(new ImageData(new Uint8ClampedArray(f.data), 1280, 720))).length;
  }
  return reads;
}

(window as unknown as { workerHeap: unknown }).workerHeap = { decodeMany };
