// The kiosk starts with no network at all (issue 5 §1): after one online load the service worker has
// precached the shell, icons and the decoder .wasm; offline, a reload still renders the app, while API,
// health and wallet-page requests are never answered from a cache.
import { expect, test, type Page } from '@playwright/test';
import { pairKiosk } from './helpers';

async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  // clientsClaim: the first worker takes this page over as soon as it activates (precache complete).
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);
}

test('serves the service worker and manifest with the right headers', async ({ request }) => {
  const sw = await request.get('/sw.js');
  expect(sw.status()).toBe(200);
  expect(sw.headers()['content-type']).toMatch(/javascript/);
  expect(sw.headers()['cache-control']).toBe('no-cache');
  const body = await sw.text();
  expect(body).toMatch(/zxing_reader-[\w-]+\.wasm/);
  expect(body).toMatch(/zxing-wasm\.worker-[\w-]+\.js/);
  expect(body).not.toMatch(/"wallet\.html"/);

  const manifest = await request.get('/manifest.webmanifest');
  expect(manifest.status()).toBe(200);
  expect(manifest.headers()['content-type']).toMatch(/application\/manifest\+json/);
  const m = await manifest.json();
  expect(m).toMatchObject({ display: 'standalone', start_url: '/' });
  expect(m.icons.some((i: { purpose?: string }) => i.purpose === 'maskable')).toBe(true);
  for (const icon of m.icons as { src: string; type: string }[]) {
    const r = await request.get(icon.src);
    expect(r.status(), icon.src).toBe(200);
    expect(r.headers()['content-type']).toContain(icon.type);
  }
});

test('a paired kiosk reloads and works from the service worker with the network off', async ({ page, context }) => {
  await pairKiosk(page);
  await waitForServiceWorkerControl(page);
  const wasmUrl = await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      const hit = (await (await caches.open(name)).keys()).find((r) => /\.wasm(\?|$)/.test(r.url));
      if (hit) return new URL(hit.url).pathname;
    }
    return null;
  });
  expect(wasmUrl).toMatch(/\/assets\/zxing_reader-[\w-]+\.wasm/);

  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByTestId('nav-sale')).toBeVisible();
    await expect(page.getByTestId('pay-wallet')).toBeVisible();
    // The indicator says why wallet payments wait, and the sale can still be kept for later.
    await expect(page.getByTestId('conn-status')).toHaveText('Offline');
    await page.getByTestId('key-5').click();
    await page.getByTestId('add-amount').click();
    await expect(page.getByTestId('pay-wallet')).toBeDisabled();
    await expect(page.getByTestId('queue-order')).toBeEnabled();

    const probe = await page.evaluate(async (wasm) => {
      const outcome = (p: Promise<Response>) =>
        p.then(
          (r) => `http ${r.status}`,
          () => 'network error',
        );
      return {
        wasm: await fetch(wasm!).then(async (r) => `http ${r.status} ${(await r.arrayBuffer()).byteLength > 100_000}`),
        healthz: await outcome(fetch('/healthz', { cache: 'no-store' })),
        api: await outcome(fetch('/api/terminal', { cache: 'no-store' })),
      };
    }, wasmUrl);
    // The decoder is available offline; the proxy's answers never come from a cache.
    expect(probe).toEqual({ wasm: 'http 200 true', healthz: 'network error', api: 'network error' });

    // The demo wallet is not part of the kiosk shell: no fallback to index.html for it.
    await expect(page.goto('/wallet')).rejects.toThrow();
  } finally {
    await context.setOffline(false);
  }
});
