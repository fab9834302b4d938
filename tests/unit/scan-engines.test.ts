// The decoder chain's logic, and the pure-TS engine (it runs in Node as in the browser) on rendered codes.
import { describe, expect, it } from 'vitest';
import { chooseEngine, ENGINE_ORDER } from '../../src/lib/scan/engines/choose.ts';
import { createZxingJsEngine, toLuminance } from '../../src/lib/scan/engines/zxing-js.ts';
import { nativeSupported } from '../../src/lib/scan/engines/native.ts';
import type { CameraEngineName, DecodeEngine } from '../../src/lib/scan/engines/engine.ts';
import { KIOSK_FORMATS, NATIVE_FORMATS, WASM_FORMATS, ZXING_JS_FORMATS, normaliseFormat } from '../../src/lib/scan/formats.ts';
import { lumaToImageData, renderLuma } from '../helpers/y4m.ts';

function frame(text: string, symbology: 'qr' | 'code128', w = 640, h = 480): ImageData {
  return lumaToImageData(renderLuma(text, symbology, w, h), w, h) as unknown as ImageData;
}

/** Stand-in engines for exercising the chain's order and fallback (not decoders). */
function stub(name: CameraEngineName, log: string[], fails: boolean): () => DecodeEngine {
  return () => ({
    name,
    async init() {
      log.push(`init ${name}`);
      if (fails) throw new Error(`${name} unavailable`);
    },
    async decode() {
      return [];
    },
    dispose() {
      log.push(`dispose ${name}`);
    },
  });
}

describe('chooseEngine', () => {
  it('orders native → zxing-wasm → zxing-js', () => {
    expect(ENGINE_ORDER).toEqual(['native', 'zxing-wasm', 'zxing-js']);
  });

  it('falls back in order and disposes engines that failed to start', async () => {
    const log: string[] = [];
    const skipped: string[] = [];
    const e = await chooseEngine({
      factories: {
        native: stub('native', log, true),
        'zxing-wasm': stub('zxing-wasm', log, true),
        'zxing-js': stub('zxing-js', log, false),
      },
      onSkip: (n) => skipped.push(n),
    });
    expect(e.name).toBe('zxing-js');
    expect(log).toEqual(['init native', 'dispose native', 'init zxing-wasm', 'dispose zxing-wasm', 'init zxing-js']);
    expect(skipped).toEqual(['native', 'zxing-wasm']);
  });

  it('tries a preferred engine first, and `only` allows no fallback', async () => {
    const log: string[] = [];
    const factories = {
      native: stub('native', log, false),
      'zxing-wasm': stub('zxing-wasm', log, false),
      'zxing-js': stub('zxing-js', log, false),
    };
    expect((await chooseEngine({ preference: 'zxing-js', factories })).name).toBe('zxing-js');
    await expect(chooseEngine({ only: 'native', factories: { native: stub('native', [], true) } })).rejects.toThrow(
      /No barcode engine.*native unavailable/,
    );
  });

  it('uses the real fallback when nothing else runs: in Node, no BarcodeDetector and no Worker → zxing-js', async () => {
    expect(await nativeSupported()).toBe(false);
    const e = await chooseEngine();
    expect(e.name).toBe('zxing-js');
    e.dispose();
  });
});

describe('zxing-js engine', () => {
  it('reads QR and Code 128 and names them the ZXing way', async () => {
    const e = createZxingJsEngine();
    await e.init();
    expect(await e.decode(frame('281234567890120001', 'qr'))).toEqual([{ text: '281234567890120001', format: 'QRCode' }]);
    expect(await e.decode(frame('130000111122223333', 'code128'))).toEqual([{ text: '130000111122223333', format: 'Code128' }]);
    e.dispose();
  });

  it('returns [] for an empty frame and refuses to run before init', async () => {
    const e = createZxingJsEngine();
    await expect(e.decode(frame('x', 'qr'))).rejects.toThrow(/before init/);
    await e.init();
    const blank = lumaToImageData(new Uint8Array(320 * 240).fill(255), 320, 240) as unknown as ImageData;
    expect(await e.decode(blank)).toEqual([]);
  });

  it('computes luma with @zxing/browser weights', () => {
    const img = {
      data: new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 10, 10, 255]),
      width: 4,
      height: 1,
    } as unknown as ImageData;
    expect([...toLuminance(img)]).toEqual([76, 150, 29, 10]);
  });
});

describe('format names', () => {
  it('map every engine vocabulary onto the same kiosk names', () => {
    for (const table of [WASM_FORMATS, NATIVE_FORMATS, ZXING_JS_FORMATS]) {
      expect(new Set(Object.values(table))).toEqual(new Set(KIOSK_FORMATS));
    }
    expect(normaliseFormat(WASM_FORMATS, 'EAN13')).toBe('EAN-13');
    expect(normaliseFormat(NATIVE_FORMATS, 'upc_e')).toBe('UPC-E');
    expect(normaliseFormat(ZXING_JS_FORMATS, 'CODE_128')).toBe('Code128');
    expect(normaliseFormat(WASM_FORMATS, 'DataMatrix')).toBe('DataMatrix');
  });
});
