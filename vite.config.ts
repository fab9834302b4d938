import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { compression } from 'vite-plugin-compression2';
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import {
  NAVIGATION_DENYLIST,
  NETWORK_ONLY,
  ON_DEMAND_CACHE,
  ON_DEMAND_DECODER,
  PRECACHE_GLOBS,
  PRECACHE_IGNORES,
} from './src/lib/offline/sw-routes.ts';

/** `npm run i18n` before every build: paraglide's compiler, then the per-language split. (Paraglide's own Vite
 *  plugin would recompile during the build and undo the split.) */
function compileMessages(): Plugin {
  return {
    name: 'compile-messages',
    buildStart: () => void execSync('npm run i18n --silent', { stdio: 'inherit' }),
  };
}

const COMPRESSIBLE = /\.(html|css|js|mjs|json|svg|wasm|webmanifest|ico|txt)$/;

/** The service worker, its workbox runtime and the manifest are written by vite-plugin-pwa after the bundle
 *  (its closeBundle), too late for vite-plugin-compression2: this compresses what is still without a copy. */
function precompressLate(): Plugin {
  let outDir = 'dist';
  return {
    name: 'precompress-late',
    apply: 'build',
    configResolved: (config) => void (outDir = resolve(config.root, config.build.outDir)),
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const name of readdirSync(outDir)) {
          const file = join(outDir, name);
          if (!COMPRESSIBLE.test(name) || !statSync(file).isFile()) continue;
          const raw = readFileSync(file);
          const copies: [string, Buffer][] = [
            ['.br', brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } })],
            ['.gz', gzipSync(raw, { level: 9 })],
          ];
          for (const [ext, body] of copies) if (body.length < raw.length) writeFileSync(file + ext, body);
        }
      },
    },
  };
}

// Two pages: the kiosk (index.html) and the demo wallet that plays the customer's phone (wallet.html).
// The kiosk is an installable PWA (DESIGN §9): workbox precaches the shell, icons and the decoder .wasm so it
// starts with no network (the zxing-js fallback decoder is cached when first used: sw-routes.ts); API, simulator, webhook and health calls are never cached. registerType 'prompt':
// a new version waits for the cashier (src/lib/kiosk/update.svelte.ts), never mid-payment.
/** What bench/wire compares against: the same sources built the old way (no precompressed copies, the
 *  fallback decoder precached). Production builds use the defaults. */
export interface KioskBuildOptions {
  precompress?: boolean;
  precacheFallbackDecoder?: boolean;
}

const APP_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

export function kioskViteConfig({ precompress = true, precacheFallbackDecoder = false }: KioskBuildOptions = {}) {
  return defineConfig({
    // Settings and Diagnostics show which version runs on the tablet (declared in src/types/app-version.d.ts).
    define: { __APP_VERSION__: JSON.stringify(APP_VERSION) },
    plugins: [
      // Messages (messages/<locale>.json) compiled to tree-shakable functions in src/paraglide/, each non-base
      // language split into its own module loaded on demand (scripts/i18n-split.mjs): `npm run i18n`.
      compileMessages(),
      svelte(),
      VitePWA({
        strategies: 'generateSW',
        registerType: 'prompt',
        // src/lib/kiosk/update.svelte.ts imports virtual:pwa-register; no extra script in the HTML.
        injectRegister: false,
        manifestFilename: 'manifest.webmanifest',
        // The glob below already precaches public/ (icons, favicon); listing them again would duplicate entries.
        includeAssets: [],
        includeManifestIcons: false,
        manifest: {
          id: '/',
          name: 'Wallet Checkout Kiosk',
          short_name: 'Checkout',
          description: 'QR-wallet checkout kiosk: ring up sales, take wallet payments, keep working offline.',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          orientation: 'any',
          theme_color: '#0b1220',
          background_color: '#0b1220',
          categories: ['business', 'finance'],
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
            { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          ],
        },
        workbox: {
          globPatterns: PRECACHE_GLOBS,
          globIgnores: precacheFallbackDecoder ? PRECACHE_IGNORES.filter((g) => g !== 'assets/zxing-js-*') : PRECACHE_IGNORES,
          // The zxing decoder .wasm is ~1 MB (~320 KB on the wire) and must work offline.
          maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
          navigateFallback: '/index.html',
          navigateFallbackDenylist: NAVIGATION_DENYLIST,
          cleanupOutdatedCaches: true,
          clientsClaim: true,
          skipWaiting: false,
          runtimeCaching: [
            { urlPattern: NETWORK_ONLY, handler: 'NetworkOnly' },
            {
              // A RegExp route matches same-origin URLs only (workbox ignores a cross-origin match not at index 0).
              urlPattern: ON_DEMAND_DECODER,
              handler: 'CacheFirst',
              // One version is enough: a new build's fallback replaces the old one.
              options: { cacheName: ON_DEMAND_CACHE, expiration: { maxEntries: 1 } },
            },
          ],
        },
        devOptions: { enabled: false },
      }),
      // Brotli and gzip copies of every compressible file, written once at build time so the proxy serves them
      // with no CPU per request (server/routes/static.ts). The .wasm decoder compresses ~3×. A copy that is not
      // smaller is skipped; the proxy then sends the original.
      ...(precompress
        ? [compression({ include: COMPRESSIBLE, algorithms: ['brotliCompress', 'gzip'], logLevel: 'silent' }), precompressLate()]
        : []),
    ],
    build: {
      target: 'es2022',
      rollupOptions: {
        input: {
          kiosk: resolve(import.meta.dirname, 'index.html'),
          wallet: resolve(import.meta.dirname, 'wallet.html'),
        },
      },
    },
    worker: { format: 'es' },
    server: {
      proxy: {
        '/api': 'http://127.0.0.1:8080',
        '/sim': 'http://127.0.0.1:8080',
        '/healthz': 'http://127.0.0.1:8080',
      },
    },
  });
}

export default kioskViteConfig();
