// Does the decoder worker's heap grow with use? Decodes rounds of empty 720p frames in the kiosk's zxing-wasm
// worker and reads the worker's JS heap (after a forced GC) and its WebAssembly memory between rounds, over
// the DevTools protocol attached to the worker itself. Frames alternate: empty, and one with a QR code.
//   npx tsx bench/scan/worker-heap.ts [--rounds 5] [--per-round 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, serve } from './serve';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const rounds = opt('--rounds', 5);
const perRound = opt('--per-round', 1000);

const out = mkdtempSync(join(tmpdir(), 'worker-heap-'));
await build({
  root: import.meta.dirname,
  configFile: false,
  base: './',
  logLevel: 'warn',
  build: { outDir: out, emptyOutDir: true, target: 'es2022', rollupOptions: { input: join(import.meta.dirname, 'worker-heap.html') } },
  worker: { format: 'es' },
});
const { server, origin } = await serve({ '/': out });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  let workerSession: string | undefined;
  let nextId = 1;
  const waiting = new Map<number, (r: unknown) => void>();
  cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
    if (e.targetInfo.type === 'worker') workerSession = e.sessionId;
  });
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const msg = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  const inWorker = (method: string, params: object = {}) =>
    new Promise<any>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId: workerSession!, message: JSON.stringify({ id, method, params }) });
    });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await page.goto(`${origin}/worker-heap.html`);
  await page.waitForFunction(() => 'workerHeap' in window);
  await page.evaluate(() => (window as any).workerHeap.decodeMany(50));
  const measure = async () => {
    await inWorker('HeapProfiler.collectGarbage');
    const heap = (await inWorker('Runtime.getHeapUsage')) as { usedSize: number };
    return heap.usedSize / 1e6;
  };
  const start = await measure();
  console.log(`after warm-up: ${start.toFixed(3)} MB`);
  for (let r = 1; r <= rounds; r++) {
    const reads = await page.evaluate((n) => (window as any).workerHeap.decodeMany(n), perRound);
    const now = await measure();
    const delta = now - start;
    console.log(
      `after ${r * perRound} decodes (${reads} reads this round): ${now.toFixed(3)} MB (${delta >= 0 ? '+' : ''}${delta.toFixed(3)} MB)`,
    );
  }
} finally {
  await browser.close();
  server.close();
  rmSync(out, { recursive: true, force: true });
}
