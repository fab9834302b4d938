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
 * Files precached for the kiosk (the demo wallet page and its chunks are not part of the kiosk). The plugin adds
 * manifest.webmanifest itself.
 */
export const PRECACHE_GLOBS = ['**/*.{js,css,html,svg,png,ico,woff,woff2,wasm}'];
export const PRECACHE_IGNORES = ['wallet.html', 'assets/wallet-*', '**/node_modules/**'];
