// The customer display is served by the kiosk SPA itself: `/display` (the proxy answers unknown HTML GETs
// with index.html) or `#/display` (for hosts that cannot rewrite paths).
export const DISPLAY_PATH = '/display';

export function isDisplayRoute(loc: { pathname: string; hash: string }): boolean {
  return /^\/display\/?$/.test(loc.pathname) || /^#\/?display\/?$/.test(loc.hash);
}

/** Opens (or focuses) the customer display in its own window, for a second screen. */
export function openCustomerDisplay(): Window | null {
  return window.open(DISPLAY_PATH, 'kiosk-display', 'popup=yes,width=1024,height=768');
}
