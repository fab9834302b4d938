// One kiosk start in a fresh Chromium profile (no HTTP cache, no service worker), then offline restarts:
//   - bytes before the first screen: every response the page received until the Sale screen's Pay button
//     exists (encoded body + headers, as Chromium reports them), and the JS + CSS part of it;
//   - cold start to interactive: navigation start → the Pay button in the DOM (performance.now() in the page);
//   - service-worker install: bytes the worker downloaded to precache, until it controls the page;
//   - offline start: network off, reload → the Pay button (performance.now()), repeated.
import type { Browser, Page } from '@playwright/test';

export interface StartSample {
  firstScreenBytes: number;
  firstScreenJsCssBytes: number;
  coldStartMs: number;
  swInstallBytes: number;
  offlineStartMs: number[];
}

export interface Network {
  /** Round trip added to every request, ms. */
  latencyMs: number;
  /** Download bandwidth, bits per second. */
  downBps: number;
}

const PAY_BUTTON = '[data-testid="pay-wallet"]';

async function payButtonAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction((sel) => (document.querySelector(sel) ? performance.now() : 0), PAY_BUTTON, {
    polling: 'raf',
    timeout: 60_000,
  });
  return handle.jsonValue();
}

export async function measureStart(browser: Browser, pairUrl: string, net: Network, offlineRuns: number): Promise<StartSample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: net.latencyMs,
      downloadThroughput: net.downBps / 8,
      uploadThroughput: net.downBps / 8,
    });

    let interactive = false;
    let firstScreenBytes = 0;
    let firstScreenJsCssBytes = 0;
    let swInstallBytes = 0;
    const pending: Promise<void>[] = [];
    context.on('requestfinished', (request) => {
      const fromWorker = request.serviceWorker() !== null;
      const type = request.resourceType();
      pending.push(
        request.sizes().then((s) => {
          const bytes = s.responseBodySize + s.responseHeadersSize;
          if (fromWorker) swInstallBytes += bytes;
          else if (!interactive) {
            firstScreenBytes += bytes;
            if (type === 'script' || type === 'stylesheet') firstScreenJsCssBytes += bytes;
          }
        }),
      );
    });

    await page.goto(pairUrl, { waitUntil: 'commit' });
    const coldStartMs = await payButtonAt(page);
    interactive = true;
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    await Promise.all(pending);

    const offlineStartMs: number[] = [];
    await context.setOffline(true);
    for (let i = 0; i < offlineRuns; i++) {
      await page.reload({ waitUntil: 'commit' });
      offlineStartMs.push(await payButtonAt(page));
    }
    return { firstScreenBytes, firstScreenJsCssBytes, coldStartMs, swInstallBytes, offlineStartMs };
  } finally {
    await context.close();
  }
}
