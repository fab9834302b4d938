// The fake-camera video really shows the code: decode a frame's luma plane with ZXing-C++ (zxing-wasm).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { lumaToImageData, readY4m, writeY4m } from '../helpers/y4m.ts';
import { alipayTestCode, wechatTestCode } from '../helpers/codes.ts';

const dir = mkdtempSync(join(tmpdir(), 'y4m-'));

beforeAll(async () => {
  const wasm = await readFile('node_modules/zxing-wasm/dist/reader/zxing_reader.wasm');
  // Without wasmBinary the library would fetch the .wasm from a CDN.
  await prepareZXingModule({
    overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
    fireImmediately: true,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function decodeFrame(path: string, frame: number) {
  const v = readY4m(path);
  const results = await readBarcodes(lumaToImageData(v.luma(frame), v.width, v.height) as unknown as ImageData, {
    formats: ['QRCode', 'Code128'],
    tryHarder: false,
  });
  return results.map((r) => ({ text: r.text, format: r.format }));
}

describe('writeY4m', () => {
  it('writes a 1280×720 4:2:0 video with the requested frames and rate', () => {
    const p = writeY4m(join(dir, 'shape.y4m'), { text: 'hello', symbology: 'qr', frames: 3, fps: 15 });
    const v = readY4m(p);
    expect([v.width, v.height, v.fps, v.frames]).toEqual([1280, 720, 15, 3]);
    expect(statSync(p).size).toBe('YUV4MPEG2 W1280 H720 F15:1 Ip A1:1 C420jpeg\n'.length + 3 * (6 + 1280 * 720 * 1.5));
  });

  it('shows a QR code that decodes to the wallet code', async () => {
    const code = alipayTestCode('0001');
    const p = writeY4m(join(dir, 'qr.y4m'), { text: code, symbology: 'qr', frames: 4 });
    expect(await decodeFrame(p, 3)).toEqual([{ text: code, format: 'QRCode' }]);
  });

  it('shows a Code 128 barcode that decodes to the wallet code', async () => {
    const code = wechatTestCode('0002');
    const p = writeY4m(join(dir, 'c128.y4m'), { text: code, symbology: 'code128', frames: 2 });
    expect(await decodeFrame(p, 1)).toEqual([{ text: code, format: 'Code128' }]);
  });

  it('handles Code 128 set B text and other frame sizes', async () => {
    const p = writeY4m(join(dir, 'b.y4m'), { text: 'PB20007900T4', symbology: 'code128', width: 640, height: 480, frames: 1 });
    expect(await decodeFrame(p, 0)).toEqual([{ text: 'PB20007900T4', format: 'Code128' }]);
  });

  it('refuses odd sizes and codes too dense for the frame', () => {
    expect(() => writeY4m(join(dir, 'odd.y4m'), { text: 'x', symbology: 'qr', width: 641 })).toThrow(/even/);
    expect(() => writeY4m(join(dir, 'long.y4m'), { text: 'x'.repeat(200), symbology: 'code128', width: 320, height: 240 })).toThrow(
      /too long/,
    );
  });
});
