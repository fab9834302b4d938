// The proxy serves the build's precompressed copies (.br, .gz) by Accept-Encoding, says so in Vary, and caches
// fingerprinted assets for good while the shell, service worker and manifest revalidate.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/app.ts';
import { rawGet } from './helpers/raw-get.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';
// path → [content, cache-control]; every one gets .br and .gz copies as the build writes them.
const FILES: Record<string, [string, string]> = {
  'index.html': ['<!doctype html><title>kiosk shell</title>'.repeat(20), 'no-cache'],
  'sw.js': ['self.addEventListener("fetch", () => {});'.repeat(20), 'no-cache'],
  'manifest.webmanifest': [JSON.stringify({ name: 'Wallet Checkout Kiosk', icons: Array(20).fill({ src: '/i.png' }) }), 'no-cache'],
  'assets/kiosk-abc123.js': ['export const kiosk = "checkout";\n'.repeat(200), IMMUTABLE],
  'assets/kiosk-abc123.css': ['.cart { display: grid; }\n'.repeat(200), IMMUTABLE],
  'assets/zxing_reader-abc123.wasm': ['\0asm\x01\0\0\0'.repeat(500), IMMUTABLE],
};

let dist: string;
beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'kiosk-dist-'));
  mkdirSync(join(dist, 'assets'));
  for (const [path, [content]] of Object.entries(FILES)) {
    writeFileSync(join(dist, path), content);
    writeFileSync(join(dist, `${path}.br`), brotliCompressSync(Buffer.from(content)));
    writeFileSync(join(dist, `${path}.gz`), gzipSync(Buffer.from(content)));
  }
  // Already-compressed formats get no copy: the original is served as is.
  writeFileSync(join(dist, 'assets', 'icon-abc123.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('precompressed static files', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ DIST_DIR: dist });
  });
  afterAll(async () => s?.close());

  const decoders = { br: brotliDecompressSync, gzip: gunzipSync } as const;
  for (const [path, [, cacheControl]] of Object.entries(FILES)) {
    for (const encoding of ['br', 'gzip'] as const) {
      it(`${path} with accept-encoding: ${encoding}`, async () => {
        const r = await rawGet(`${s.baseUrl}/${path}`, { 'accept-encoding': encoding });
        expect(r.status).toBe(200);
        expect(r.headers['content-encoding']).toBe(encoding);
        expect(r.headers.vary).toMatch(/accept-encoding/i);
        expect(r.headers['cache-control']).toBe(cacheControl);
        expect(r.body.length).toBeLessThan(readFileSync(join(dist, path)).length);
        expect(decoders[encoding](r.body).equals(readFileSync(join(dist, path)))).toBe(true);
      });
    }
  }

  it('prefers brotli when both are accepted, and keeps the original type', async () => {
    const r = await rawGet(`${s.baseUrl}/assets/zxing_reader-abc123.wasm`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toBe('application/wasm');
  });

  it('sends the original to a client that accepts no encoding', async () => {
    const r = await rawGet(`${s.baseUrl}/assets/kiosk-abc123.js`, {});
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers.vary).toMatch(/accept-encoding/i);
    expect(r.body.equals(readFileSync(join(dist, 'assets/kiosk-abc123.js')))).toBe(true);
  });

  it('sends the original when there is no compressed copy', async () => {
    const r = await rawGet(`${s.baseUrl}/assets/icon-abc123.png`, { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
    expect(r.body.equals(readFileSync(join(dist, 'assets/icon-abc123.png')))).toBe(true);
  });

  it('compresses the shell at / and for client routes (the SPA fallback)', async () => {
    for (const path of ['/', '/settings/diagnostics']) {
      const r = await rawGet(`${s.baseUrl}${path}`, { accept: 'text/html', 'accept-encoding': 'br' });
      expect(r.status, path).toBe(200);
      expect(r.headers['content-encoding'], path).toBe('br');
      expect(r.headers['cache-control'], path).toBe('no-cache');
      expect(brotliDecompressSync(r.body).equals(readFileSync(join(dist, 'index.html'))), path).toBe(true);
    }
  });
});
