// Decode rate on the variant set (variants.ts: the dev photos made harder, seeded) for ZXing-C++ alone and the
// kiosk's schedule with each candidate change (variant-candidates.ts), all in the same run and browser.
//   npx tsx bench/scan/variants-run.ts [--frames 12] [--empty-frames 40] [--families a,b] [--candidates a,b] [--on720p] [--no-write]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { ROOT, args, buildBenchPage, opt, photos } from './camera-harness';
import { CHROMIUM_ARGS, serve } from './serve';
import { FAMILIES, writeVariants } from './variants';
import type { VariantResult } from './variants-page';
import { variantsMarkdown, type Row } from './variants-report';
import { writeSection } from './report';

const frames = Number(opt('--frames') ?? 12);
const emptyFrames = Number(opt('--empty-frames') ?? 40);
const on720p = args.includes('--on720p');
const families = opt('--families') ? FAMILIES.filter((f) => opt('--families')!.split(',').includes(f.name)) : FAMILIES;

async function main() {
  const load = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'scan-variants-img-'));
  const items = writeVariants(photos(), dir, families);
  const out = await buildBenchPage('variants.html', 'scan-variants-');
  const { server, origin } = await serve({ '/variants/': dir, '/': out });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const rows: Row[] = [];
  let emptyMs: Record<string, number[]>;
  try {
    const page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
    await page.goto(`${origin}/variants.html`);
    await page.waitForFunction(() => 'variantBench' in window);
    const all: string[] = await page.evaluate(() => (window as any).variantBench.names());
    const names = opt('--candidates') ? opt('--candidates')!.split(',') : all;
    process.stderr.write(`${items.length} images × ${names.length} contenders, ≤ ${frames} frames each\n`);
    emptyMs = await page.evaluate(([n, f]) => (window as any).variantBench.empty(n, f), [names, emptyFrames] as const);
    for (const [i, item] of items.entries()) {
      const res: VariantResult[] = await page.evaluate(([it, n, f, p]) => (window as any).variantBench.read(it, n, f, p), [
        item,
        names,
        frames,
        on720p,
      ] as const);
      for (const r of res) rows.push({ ...r, family: item.family, photo: `${item.folder}/${item.name}` });
      if (i % 50 === 49) process.stderr.write(`${i + 1} `);
    }
    process.stderr.write('\n');
    const env = `Chromium ${browser.version()}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), 1-min load ${load.toFixed(1)} at start, Node ${process.version}`;
    const md = variantsMarkdown({ rows, emptyMs, names, families, frames, env, on720p });
    console.log(md);
    if (!args.includes('--no-write') && !opt('--families') && !opt('--candidates')) {
      writeSection(join(ROOT, 'BENCHMARKS.md'), md, on720p ? 'scan-variants-720p-bench' : 'scan-variants-bench');
      console.log('wrote the variant section of BENCHMARKS.md');
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
