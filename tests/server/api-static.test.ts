// The proxy serves the built PWA from its own origin, with an SPA fallback and the wallet page only in demo.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/app.ts';

let dist: string;
beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'kiosk-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>kiosk shell</title>');
  writeFileSync(join(dist, 'wallet.html'), '<!doctype html><title>demo wallet</title>');
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const html = { accept: 'text/html,application/xhtml+xml' };

describe('static PWA in demo mode', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ DIST_DIR: dist });
  });
  afterAll(async () => s?.close());

  it('serves index.html at / with CSP and camera permission', async () => {
    const r = await fetch(`${s.baseUrl}/`, { headers: html });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('kiosk shell');
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(r.headers.get('content-security-policy')).toMatch(/worker-src 'self' blob:/);
    expect(r.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(r.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves the wallet page at /wallet', async () => {
    const r = await fetch(`${s.baseUrl}/wallet`, { headers: html });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('demo wallet');
  });

  it('caches fingerprinted assets for good', async () => {
    const r = await fetch(`${s.baseUrl}/assets/app-abc123.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toContain('immutable');
  });

  it('falls back to the shell for client routes, but not for the API or missing assets', async () => {
    const page = await fetch(`${s.baseUrl}/settings/diagnostics`, { headers: html });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('kiosk shell');
    const api = await fetch(`${s.baseUrl}/api/nothing`, { headers: html });
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');
    const asset = await fetch(`${s.baseUrl}/assets/missing.js`);
    expect(asset.status).toBe(404);
    expect((await asset.json()).error.code).toBe('not_found');
  });
});

describe('static PWA outside demo mode', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({
      DIST_DIR: dist,
      DEMO: '0',
      POCKYT_BASE_URL: 'http://127.0.0.1:9/never',
      POCKYT_MERCHANT_NO: 'm',
      POCKYT_STORE_NO: 's',
      POCKYT_TOKEN: 'not-used',
    });
  });
  afterAll(async () => s?.close());

  it('has no wallet page and no simulator', async () => {
    for (const path of ['/wallet', '/wallet.html']) {
      const r = await fetch(`${s.baseUrl}${path}`, { headers: { accept: 'application/json' } });
      expect(r.status, path).toBe(404);
    }
    const sim = await fetch(`${s.baseUrl}/sim/pockyt/control/codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"vendor":"alipay"}',
    });
    expect(sim.status).toBe(404);
    const health = await (await fetch(`${s.baseUrl}/healthz`)).json();
    expect(health.demo).toBe(false);
  });
});
