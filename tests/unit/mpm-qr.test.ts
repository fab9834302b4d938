import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { fitModulePx, formatCountdown, qrModuleCount, qrSvg, QUIET_ZONE } from '../../src/lib/display/qr';
import { lumaToImageData } from '../helpers/y4m.ts';

beforeAll(async () => {
  const wasm = readFileSync('node_modules/zxing-wasm/dist/reader/zxing_reader.wasm');
  await prepareZXingModule({
    overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
    fireImmediately: true,
  });
});

/** Rasterises the SVG the kiosk draws (its rect + run-length path) the way a screen shows it. */
function rasterise(svg: string): { luma: Uint8Array; size: number } {
  const size = Number(/width="(\d+)"/.exec(svg)![1]);
  const total = Number(/viewBox="0 0 (\d+) /.exec(svg)![1]);
  const px = size / total;
  const luma = new Uint8Array(size * size).fill(255);
  const d = /<path d="([^"]*)"/.exec(svg)![1];
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    const [x, y, run] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let r = y * px; r < (y + 1) * px; r++) luma.fill(0, r * size + x * px, r * size + (x + run) * px);
  }
  return { luma, size };
}

const PAYLOADS = [
  'http://127.0.0.1:18471/sim/pockyt/qr/2025010112345678901',
  'http://localhost:8080/sim/centrapay/pay/AbCdEf0123456789XyZ',
  'https://kiosk.example.com/sim/payby/pay/Zq3_4-abcdefghijklmnop',
];

describe('merchant QR rendering', () => {
  it.each(PAYLOADS)('draws %s so that ZXing reads back exactly the payload', async (payload) => {
    const modules = qrModuleCount(payload);
    const svg = qrSvg(payload, fitModulePx(600, modules));
    const { luma, size } = rasterise(svg);
    const results = await readBarcodes(lumaToImageData(luma, size, size) as unknown as ImageData, { formats: ['QRCode'] });
    expect(results.filter((r) => r.isValid).map((r) => r.text)).toEqual([payload]);
  });

  it('keeps a 4-module quiet zone and whole-pixel modules as large as the box allows', () => {
    const modules = qrModuleCount(PAYLOADS[0]);
    const px = fitModulePx(600, modules);
    expect(px).toBe(Math.floor(600 / (modules + 8)));
    const svg = qrSvg(PAYLOADS[0], px);
    expect(svg).toContain(`viewBox="0 0 ${modules + 2 * QUIET_ZONE} ${modules + 2 * QUIET_ZONE}"`);
    expect(svg).toContain(`width="${(modules + 8) * px}"`);
    // Nothing drawn inside the quiet zone.
    for (const m of /<path d="([^"]*)"/.exec(svg)![1].matchAll(/M(\d+) (\d+)h(\d+)/g)) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(QUIET_ZONE);
      expect(Number(m[2])).toBeGreaterThanOrEqual(QUIET_ZONE);
      expect(Number(m[1]) + Number(m[3])).toBeLessThanOrEqual(QUIET_ZONE + modules);
    }
    expect(fitModulePx(10, modules)).toBe(2); // never below 2 px per module
  });

  it('formats the countdown as m:ss, rounding up and never below 0:00', () => {
    expect(formatCountdown(90_000)).toBe('1:30');
    expect(formatCountdown(59_001)).toBe('1:00');
    expect(formatCountdown(9_500)).toBe('0:10');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});
