// What the service worker may answer from its cache, shared by vite.config.ts (which writes sw.js) and tests.
// Only the app shell is cached. Payment API calls, provider simulators, webhooks, the demo wallet and the
// health probe always go to the network: a cached answer there would show a cashier a stale payment state,
// or report the proxy reachable when it is not.

/** Navigations that must NOT fall back to the cached index.html (tested against pathname + search). */
export const NAVIGATION_DENYLIST: RegExp[] = [/^\/(api|sim|webhooks|wallet|healthz)(\/|\?|\.|$)/];

/**
 * Same-origin URLs (full href) routed NetworkOnly: never cached, never answered from cache. The SSE stream
 * (/api/events) is excluded from every route (no respondWith at all): a long-lived stream piped through the
 * worker would tie its lifetime to the worker's, and there is nothing to cache anyway.
 */
export const NETWORK_ONLY = /^https?:\/\/[^/]+\/(?!api\/events(?:\?|$))(api|sim|webhooks|healthz)(\/|\?|$)/;

/**
 * The zxing-js fallback decoder (~450 KB) runs only where both BarcodeDetector and the wasm decoder fail, so it
 * is not precached: the first time a device needs it, it is fetched and kept (CacheFirst; its name is
 * fingerprinted, so a cached copy is never stale).
 */
export const ON_DEMAND_DECODER = /\/assets\/zxing-js-[\w-]+\.js$/;
export const ON_DEMAND_CACHE = 'kiosk-fallback-decoder';

/**
 * Files precached for the kiosk: what it needs to start and take a sale with no network (shell, its chunks,
 * icons, the wasm decoder and its worker). Not the demo wallet page and its chunks, not the fallback decoder
 * above, not the build's .br/.gz copies. The plugin adds manifest.webmanifest itself.
 */
export const PRECACHE_GLOBS = ['**/*.{js,css,html,svg,png,ico,woff,woff2,wasm}'];
export const PRECACHE_IGNORES = ['wallet.html', 'assets/wallet-*', 'assets/zxing-js-*', '**/node_modules/**'];
