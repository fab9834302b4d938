// The camera decoders (@zxing/library fallback, wasm worker glue) are large and only the Pay and
// Diagnostics screens need them, so they load on demand; preloadScan() warms the chunk when the kiosk is idle
// so the camera still opens at once.
type ScanModule = typeof import('../../lib/scan/index');

let pending: Promise<ScanModule> | null = null;

export function loadScan(): Promise<ScanModule> {
  pending ??= import('../../lib/scan/index').catch((err) => {
    pending = null; // let the next attempt retry (e.g. the chunk failed to download)
    throw err;
  });
  return pending;
}

export function preloadScan(): void {
  const go = () => void loadScan().catch(() => {});
  if ('requestIdleCallback' in window) requestIdleCallback(go, { timeout: 3000 });
  else setTimeout(go, 1000);
}
