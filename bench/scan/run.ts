// Scan engine benchmark (DESIGN §13): builds bench/scan/page.html with Vite (the same bundling as the
// kiosk: worker + self-hosted .wasm), serves it on loopback, and runs every engine in Debian Chromium
// over the ZXing black-box photos. Also fails if the page requests anything off our origin (a CDN).
//   npx tsx bench/scan/run.ts [--repeats N] [--empty-runs N] [--no-write]
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { chromium } from '@playwright/test';
import type { BenchItem, EngineRun } from './page';
import { summarise } from './stats';
import { LABELS, markdown, writeSection } from './report';
import { CHROMIUM_ARGS, serve } from './serve';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/fixtures/zxing-blackbox');
const FOLDERS = ['qrcode-1', 'qrcode-2', 'code128-1'] as const;
const ENGINES = ['native', 'zxing-wasm', 'zxing-js', 'zxing-wasm-thorough', 'zxing-js-harder'] as const;

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const repeats = opt('--repeats', 3);
const emptyRuns = opt('--empty-runs', 30);

function items(): BenchItem[] {
  return FOLDERS.flatMap((folder) =>
    readdirSync(join(FIXTURES, folder))
      .filter((f) => f.endsWith('.png'))
      .sort((a, b) => parseInt(a) - parseInt(b))
      .map((f) => ({
        folder,
        name: f,
        url: `/fixtures/${folder}/${f}`,
        expected: readFileSync(join(FIXTURES, folder, f.replace(/\.png$/, '.txt')), 'utf8'),
      })),
  );
}

async function main() {
  const loadAtStart = loadavg()[0];
  const out = mkdtempSync(join(tmpdir(), 'scan-bench-'));
  await build({
    root: import.meta.dirname,
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true, target: 'es2022', rollupOptions: { input: join(import.meta.dirname, 'page.html') } },
    worker: { format: 'es' },
  });
  const wasmAssets = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.wasm'));
  const { server, origin } = await serve({ '/fixtures/': FIXTURES, '/': out });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const foreign: string[] = [];
  const wasmRequests: string[] = [];
  try {
    const ctx = await browser.newContext();
    ctx.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
      if (u.endsWith('.wasm')) wasmRequests.push(u);
    });
    const page = await ctx.newPage();
    page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
    await page.goto(`${origin}/page.html`);
    await page.waitForFunction(() => 'scanBench' in window);
    const list = items();
    process.stderr.write(`running ${ENGINES.join(', ')} on ${list.length} images…\n`);
    const runs: EngineRun[] = await page.evaluate(([e, l, r, n]) => (window as any).scanBench.runAll(e, l, r, n), [
      [...ENGINES],
      list,
      repeats,
      emptyRuns,
    ] as const);
    const stats = runs.map((r) => summarise(r, FOLDERS));
    console.table(
      stats.map((s) => ({
        engine: LABELS[s.engine],
        ...Object.fromEntries(s.folders.map((f) => [f.folder, s.available ? `${f.decoded}/${f.total}` : 'n/a'])),
        'median ms': s.medianMs.toFixed(1),
        'p90 ms': s.p90Ms.toFixed(1),
        'empty 720p ms': s.emptyMedianMs.toFixed(1),
      })),
    );
    const misses = runs.flatMap((r) => r.items.filter((i) => !i.ok).map((i) => `${r.engine} ${i.folder}/${i.name}`));
    console.log(`missed: ${misses.join(', ') || 'none'}`);
    console.log(`wasm assets built: ${wasmAssets.join(', ') || 'none'}; wasm requests: ${wasmRequests.join(', ') || 'none'}`);
    if (foreign.length) throw new Error(`page requested off-origin URLs (CDN?): ${foreign.join(', ')}`);
    if (runs.find((r) => r.engine === 'zxing-wasm')?.available && !wasmRequests.some((u) => u.startsWith(origin))) {
      throw new Error('zxing-wasm ran but no .wasm was fetched from our origin');
    }
    console.log('off-origin requests: none');
    const meta = {
      date: new Date().toISOString().slice(0, 10),
      chromium: `Chromium ${browser.version()}`,
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus().length,
      load: loadAtStart,
      node: process.version,
      repeats,
      emptyRuns,
    };
    const md = markdown(stats, FOLDERS, meta);
    if (!args.includes('--no-write')) {
      writeSection(join(ROOT, 'BENCHMARKS.md'), md);
      console.log('wrote the Scanning section of BENCHMARKS.md');
    } else {
      console.log(md);
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
