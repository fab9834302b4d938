// Polling-cost bench: `npm run bench:polling [-- --open 1000 --idle 20 --confirm 30 --no-write]`.
// What does an open payment cost the proxy while nobody is looking at it, and does a payment a kiosk IS
// watching still reach the kiosk quickly without provider notifications? The provider simulators run in their
// own process (notifications off, so the proxy learns only by asking), the proxy in another (its defaults
// for every POLL_* setting, SQLite file in a temp dir, LOG_LEVEL=silent). One proxy, two phases:
//   1. baseline: 0 open payments — an idle window, then confirmation latency for watched payments;
//   2. `--open` pending payments created through the API by one terminal (wallet-issued Pockyt codes that
//      nobody approves; POCKYT_CONFIRM_WINDOW_MS=1 h so none is given up during the run), nobody watching
//      them (no SSE stream of that terminal, no GETs); after a settle period, the same idle window and the
//      same confirmation measure by a second terminal whose SSE stream is open.
// Idle window: proxy CPU (process.cpuUsage() of the proxy process), requests it sent to the provider, and
// GET /healthz latency sampled every 250 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startChild, type Child } from '../lib/child.ts';
import { BenchKiosk, pairTerminal } from '../lib/kiosk.ts';
import { LOAD_GENERATOR_LIMITS } from '../lib/limits.ts';
import { machineInfo } from '../lib/machine.ts';
import { writeSection } from '../lib/markdown.ts';
import type { ProxyChildInfo } from '../lib/proxy-child.ts';
import type { SimsChildInfo } from '../lib/sims-child.ts';
import { freePort, providerEnv } from '../lib/sims.ts';
import { confirmWatched, createOpenPayments, idleWindow } from './measure.ts';
import { printSummary, section, type PhaseResult } from './report.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const OPEN = Number(arg('open', '1000'));
const IDLE_S = Number(arg('idle', '20'));
const CONFIRM_N = Number(arg('confirm', '30'));
const SETTLE_S = Number(arg('settle', '10'));
if (![OPEN, IDLE_S, CONFIRM_N, SETTLE_S].every((x) => Number.isInteger(x) && x >= 0) || IDLE_S < 1) {
  console.error('usage: bench/polling/run.ts [--open 1000] [--idle 20] [--confirm 30] [--settle 10] [--no-write]');
  process.exit(2);
}
const HEALTHZ_EVERY_MS = 250;
const THINK_MS: [number, number] = [1000, 3000];
const KIOSK_POLL_MS = 1500; // the kiosk's GET fallback interval (bench/confirm)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const machine = machineInfo();
const dir = mkdtempSync(join(tmpdir(), 'bench-polling-'));
let sims: Child<SimsChildInfo> | undefined;
let proxy: Child<ProxyChildInfo> | undefined;
try {
  const port = await freePort();
  const proxyUrl = `http://127.0.0.1:${port}`;
  sims = await startChild<SimsChildInfo>('./sims-child.ts', {
    BENCH_PROXY_URL: proxyUrl,
    BENCH_SIM_NOTIFY_MS: 'none',
    BENCH_SIM_PENDING_MS: '3600000',
  });
  const pockyt = sims.info.endpoints.pockyt!;
  const proxyEnv = {
    ...providerEnv(sims.info.endpoints),
    // One terminal creates the open payments as fast as it can: a load generator, not a kiosk.
    ...LOAD_GENERATOR_LIMITS,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: proxyUrl,
    STORE_ID: 'demo-us',
    DATABASE_URL: `sqlite:${join(dir, 'polling.db')}`,
    LOG_LEVEL: 'silent',
    DIST_DIR: join(dir, 'no-dist'),
    BENCH_TERMINALS: '2',
    POCKYT_CONFIRM_WINDOW_MS: '3600000',
  };
  proxy = await startChild<ProxyChildInfo>('./proxy-child.ts', proxyEnv);
  const [opener, watcher] = await Promise.all(proxy.info.pairingCodes.map((c) => pairTerminal(proxyUrl, c)));
  const providerOrigin = new URL(pockyt.baseUrl).origin;
  const phases: PhaseResult[] = [];

  const phase = async (open: number): Promise<PhaseResult> => {
    process.stderr.write(`${open} open: idle ${IDLE_S} s…\n`);
    const idle = await idleWindow(proxy!, proxyUrl, providerOrigin, IDLE_S, HEALTHZ_EVERY_MS);
    process.stderr.write(`${open} open: ${CONFIRM_N} watched payments…\n`);
    const confirm = await confirmWatched(proxyUrl, watcher.token, pockyt.baseUrl, CONFIRM_N, THINK_MS, KIOSK_POLL_MS);
    return { open, idle, confirm };
  };

  await sleep(2000);
  phases.push(await phase(0));
  process.stderr.write(`creating ${OPEN} open payments…\n`);
  const createMs = await createOpenPayments(new BenchKiosk(proxyUrl, opener.token), pockyt.baseUrl, OPEN, 16);
  await sleep(SETTLE_S * 1000);
  phases.push(await phase(OPEN));

  const run = {
    machine,
    open: OPEN,
    idleS: IDLE_S,
    settleS: SETTLE_S,
    createMs,
    healthzEveryMs: HEALTHZ_EVERY_MS,
    thinkMs: THINK_MS,
    kioskPollMs: KIOSK_POLL_MS,
    confirmN: CONFIRM_N,
    config: proxy.info.config,
    phases,
  };
  printSummary(run);
  if (!args.includes('--no-write')) {
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'polling-bench', section(run));
    console.log('wrote the polling section of BENCHMARKS.md');
  }
} finally {
  await proxy?.stop();
  await sims?.stop();
  rmSync(dir, { recursive: true, force: true });
}
