import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { resolve } from 'node:path';
import { NAVIGATION_DENYLIST, NETWORK_ONLY, PRECACHE_GLOBS, PRECACHE_IGNORES } from './src/lib/offline/sw-routes.ts';

// Two pages: the kiosk (index.html) and the demo wallet that plays the customer's phone (wallet.html).
// The kiosk is an installable PWA (DESIGN §9): workbox precaches the shell, icons and the decoder .wasm so it
// starts with no network; API, simulator, webhook and health calls are never cached. registerType 'prompt':
// a new version waits for the cashier (src/lib/kiosk/update.svelte.ts), never mid-payment.
export default defineConfig({
  plugins: [
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
        globIgnores: PRECACHE_IGNORES,
        // The zxing decoder .wasm is ~1 MB and the @zxing/library fallback ~0.5 MB: both must work offline.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: NAVIGATION_DENYLIST,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: false,
        runtimeCaching: [{ urlPattern: NETWORK_ONLY, handler: 'NetworkOnly' }],
      },
      devOptions: { enabled: false },
    }),
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
