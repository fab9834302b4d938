// Wire bench (issue 13, "A lighter kiosk"): `npx tsx bench/wire/run.ts [--runs 5] [--offline 3] [--no-write]`.
// Builds the kiosk twice from the same sources — as shipped (brotli/gzip copies, lean precache) and the
// baseline (bench/wire/baseline.vite.config.ts: no compressed copies, fallback decoder precached) — serves each
// from its own proxy (a child in demo mode), and starts the kiosk in fresh Chromium profiles on a throttled
// link, alternating builds run by run so background load hits both alike.
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config.ts';
import { REPO_ROOT, startChild, type Child } from '../lib/child.ts';
import { describeMachine, machineInfo } from '../lib/machine.ts';
import { table, writeSection } from '../lib/markdown.ts';
import type { ProxyChildInfo } from '../lib/proxy-child.ts';
import { ms, quantile, ratio } from '../lib/stats.ts';
import { measureStart, type Network, type StartSample } from './measure.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const RUNS = Number(arg('runs', '5'));
const OFFLINE = Number(arg('offline', '3'));
// A tablet on busy store Wi-Fi: 10 Mbit/s down, 40 ms round trip.
const NET: Network = { latencyMs: 40, downBps: 10_000_000 };

const VARIANTS = [
  { key: 'shipped', label: 'as shipped (br/gzip, lean precache)', config: 'vite.config.ts' },
  { key: 'baseline', label: 'baseline (uncompressed, fallback decoder precached)', config: 'bench/wire/baseline.vite.config.ts' },
] as const;

function build(config: string, outDir: string): void {
  const r = spawnSync('npx', ['vite', 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build --config ${config} failed:\n${r.stdout}\n${r.stderr}`);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => quantile(xs, 0.5);

async function main(): Promise<void> {
  const machine = machineInfo();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-wire-'));
  const proxies: Child<ProxyChildInfo>[] = [];
  try {
    for (const v of VARIANTS) build(v.config, join(tmp, v.key));
    for (const v of VARIANTS) {
      proxies.push(
        await startChild<ProxyChildInfo>('./proxy-child.ts', {
          PORT: '0',
          HOST: '127.0.0.1',
          DEMO: '1',
          DATABASE_URL: `sqlite:${join(tmp, `${v.key}.db`)}`,
          DIST_DIR: join(tmp, v.key),
          LOG_LEVEL: 'silent',
          BENCH_TERMINALS: String(RUNS),
        }),
      );
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const samples: Record<string, StartSample[]> = { shipped: [], baseline: [] };
    try {
      for (let i = 0; i < RUNS; i++) {
        const order = i % 2 === 0 ? [0, 1] : [1, 0];
        for (const j of order) {
          const p = proxies[j].info;
          samples[VARIANTS[j].key].push(await measureStart(browser, `${p.baseUrl}/?pair=${p.pairingCodes[i]}`, NET, OFFLINE));
          process.stdout.write('.');
        }
      }
    } finally {
      await browser.close();
    }
    process.stdout.write('\n');
    for (const v of VARIANTS)
      console.log(`${v.key}: cold start ms per run`, samples[v.key].map((x) => Math.round(x.coldStartMs)).join(' '));
    const body = report(samples, machine);
    console.log(body);
    if (!args.includes('--no-write')) writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'wire-bench', body);
  } finally {
    for (const p of proxies) await p.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function report(samples: Record<string, StartSample[]>, machine: ReturnType<typeof machineInfo>): string {
  const s = samples.shipped;
  const b = samples.baseline;
  const m = (xs: StartSample[], f: (x: StartSample) => number) => median(xs.map(f));
  const offline = (xs: StartSample[]) => xs.flatMap((x) => x.offlineStartMs);
  const rows = [
    [
      'first screen: JS + CSS',
      kb(m(s, (x) => x.firstScreenJsCssBytes)),
      kb(m(b, (x) => x.firstScreenJsCssBytes)),
      ratio(
        m(s, (x) => x.firstScreenJsCssBytes),
        m(b, (x) => x.firstScreenJsCssBytes),
      ),
    ],
    [
      'first screen: everything',
      kb(m(s, (x) => x.firstScreenBytes)),
      kb(m(b, (x) => x.firstScreenBytes)),
      ratio(
        m(s, (x) => x.firstScreenBytes),
        m(b, (x) => x.firstScreenBytes),
      ),
    ],
    [
      'service worker install (precache)',
      kb(m(s, (x) => x.swInstallBytes)),
      kb(m(b, (x) => x.swInstallBytes)),
      ratio(
        m(s, (x) => x.swInstallBytes),
        m(b, (x) => x.swInstallBytes),
      ),
    ],
    [
      'cold start → interactive, median ms',
      ms(m(s, (x) => x.coldStartMs)),
      ms(m(b, (x) => x.coldStartMs)),
      ratio(
        m(s, (x) => x.coldStartMs),
        m(b, (x) => x.coldStartMs),
      ),
    ],
    ['cold start → interactive, max ms', ms(Math.max(...s.map((x) => x.coldStartMs))), ms(Math.max(...b.map((x) => x.coldStartMs))), ''],
    [
      'offline start → interactive, median ms',
      ms(median(offline(s))),
      ms(median(offline(b))),
      ratio(median(offline(s)), median(offline(b))),
    ],
    ['offline start → interactive, p90 ms', ms(quantile(offline(s), 0.9)), ms(quantile(offline(b), 0.9)), ''],
  ];
  return `## Bytes on the wire and start-up

Measured ${machine.date} with \`npx tsx bench/wire/run.ts\` (\`bench/wire/\`) on ${describeMachine(machine)}; Chromium
from \`/usr/bin/chromium\` (headless). The same sources are built twice in the run: **as shipped** (\`vite.config.ts\`:
brotli and gzip copies served by the proxy, the zxing-js fallback decoder cached only when first used) and the
**baseline** (\`bench/wire/baseline.vite.config.ts\`: no compressed copies, so every file goes out uncompressed as
before, and the fallback decoder precached). Each is served by its own proxy in demo mode; each run pairs a fresh
kiosk in a fresh Chromium profile (empty HTTP cache, no service worker) over a link throttled to
${NET.downBps / 1e6} Mbit/s down and ${NET.latencyMs} ms round trip (the page's traffic; the service worker's own
downloads are not throttled), builds alternating. ${RUNS} cold starts per build, ${OFFLINE} offline restarts after each
(network off, reload). "First screen" is every response the page received before the Sale screen's Pay button
existed (encoded body + headers); "interactive" is navigation start → that button in the DOM.

${table(['', 'as shipped', 'baseline', 'shipped ÷ baseline'], rows)}
`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
