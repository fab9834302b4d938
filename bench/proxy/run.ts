// Proxy overhead bench (DESIGN §13): `npm run bench:proxy` (= npx tsx bench/proxy/run.ts).
//   [--n 300] [--warmup 50] [--concurrency 1,4,16] [--duration 5] [--no-write]
// Three processes on loopback: this one (the kiosks / load generator), the Pockyt simulator (standalone,
// IPNs off) and the proxy (real buildApp, SQLite file in a temp dir, WAL, DEMO=0 pointed at the simulator).
// The baseline makes the same signed add+prepay calls straight to the same simulator, in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { runQueueMs, startChild, REPO_ROOT, type Child } from '../lib/child.ts';
import { BenchKiosk, pairTerminal } from '../lib/kiosk.ts';
import { LOAD_GENERATOR_LIMITS } from '../lib/limits.ts';
import { machineInfo } from '../lib/machine.ts';
import { writeSection } from '../lib/markdown.ts';
import type { ProxyChildInfo } from '../lib/proxy-child.ts';
import type { SimChildInfo } from '../lib/sim-child.ts';
import { directPayment, merge, proxyPayment, sustained, type LoadResult, type PaymentOp } from './calls.ts';
import { printSummary, section } from './report.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const N = Number(arg('n', '300'));
const WARMUP = Number(arg('warmup', '50'));
const CONCURRENCY = arg('concurrency', '1,4,16').split(',').map(Number);
const DURATION_MS = Number(arg('duration', '5')) * 1000;
if (
  ![N, WARMUP, DURATION_MS, ...CONCURRENCY].every((x) => Number.isInteger(x) && x >= 0) ||
  N < 1 ||
  CONCURRENCY.some((c) => c < 1 || c > 64)
) {
  console.error('usage: bench/proxy/run.ts [--n 300] [--warmup 50] [--concurrency 1,4,16] [--duration 5] [--no-write]');
  process.exit(2);
}

const machine = machineInfo();
const dir = mkdtempSync(join(tmpdir(), 'bench-proxy-'));
const dbFile = join(dir, 'bench.db');
let sim: Child<SimChildInfo> | undefined;
let proxy: Child<ProxyChildInfo> | undefined;

try {
  sim = await startChild<SimChildInfo>('./sim-child.ts', { BENCH_SIM_IPN: 'none' });
  const c = sim.info.credentials;
  proxy = await startChild<ProxyChildInfo>('./proxy-child.ts', {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${dbFile}`,
    DEMO: '0',
    LOG_LEVEL: 'silent',
    POCKYT_BASE_URL: sim.info.baseUrl,
    POCKYT_MERCHANT_NO: c.merchantNo,
    POCKYT_STORE_NO: c.storeNo,
    POCKYT_TOKEN: c.token,
    DIST_DIR: join(dir, 'no-dist'),
    BENCH_TERMINALS: String(Math.max(...CONCURRENCY)),
    ...LOAD_GENERATOR_LIMITS,
  });
  const baseUrl = proxy.info.baseUrl;
  const kiosks = await Promise.all(
    proxy.info.pairingCodes.map(async (code) => {
      const t = await pairTerminal(baseUrl, code);
      return new BenchKiosk(baseUrl, t.token);
    }),
  );
  // Same request body shape as the adapter's add (it always names an ipnUrl); the simulator sends none here.
  const direct = directPayment(sim.info, `${baseUrl}/webhooks/pockyt`);
  const viaProxy = kiosks.map(proxyPayment);
  let proxyPaid = 0;
  const counted =
    (op: PaymentOp): PaymentOp =>
    async () => {
      const t = await op();
      proxyPaid++;
      return t;
    };

  // Warm up JIT, sockets and SQLite pages on both paths before anything is timed.
  process.stderr.write(`warm-up ${WARMUP}×2, then ${N} sequential payments per path…\n`);
  for (let i = 0; i < WARMUP; i++) {
    await direct();
    await counted(viaProxy[0])();
  }

  // Interleaved, alternating who goes first, so drifting background load on this shared box hits both alike.
  const lat = { proxy: [] as number[], direct: [] as number[] };
  for (let i = 0; i < N; i++) {
    if (i % 2 === 0) {
      lat.direct.push(await direct());
      lat.proxy.push(await counted(viaProxy[0])());
    } else {
      lat.proxy.push(await counted(viaProxy[0])());
      lat.direct.push(await direct());
    }
  }

  // CPU time per payment in each process: steadier than wall time when other tenants share the cores.
  const selfCpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const cpuNow = async () => ({ proxy: await proxy!.cpuMs(), sim: await sim!.cpuMs(), client: selfCpuMs() });
  const waitNow = () => ({ proxy: proxy!.waitMs(), sim: sim!.waitMs(), client: runQueueMs('self') });
  type Per = { proxy: number; sim: number; client: number };
  const perPayment = (a: Per, b: Per, n: number): Per => ({
    proxy: (b.proxy - a.proxy) / Math.max(1, n),
    sim: (b.sim - a.sim) / Math.max(1, n),
    client: (b.client - a.client) / Math.max(1, n),
  });
  const withCpu = async (run: () => Promise<LoadResult>): Promise<LoadResult> => {
    const a = await cpuNow();
    const wa = waitNow();
    const t0 = performance.now();
    const r = await run();
    const wb = waitNow();
    const b = await cpuNow();
    const cpuWindowMs = performance.now() - t0;
    return { ...r, cpuWindowMs, cpuPerPayment: perPayment(a, b, r.completed), waitPerPayment: perPayment(wa, wb, r.completed) };
  };

  // A-B-B-A halves per concurrency level: load from other tenants that drifts during the run lands on both
  // paths about equally instead of on whichever ran second.
  const load: { proxy: LoadResult; direct: LoadResult }[] = [];
  const pause = () => new Promise((r) => setTimeout(r, 200));
  for (const cc of CONCURRENCY) {
    process.stderr.write(`sustained: ${cc} client(s), ${DURATION_MS / 1000} s per path…\n`);
    const proxyRun = () => withCpu(() => sustained(viaProxy.slice(0, cc).map(counted), DURATION_MS / 2));
    const directRun = () =>
      withCpu(() =>
        sustained(
          Array.from({ length: cc }, () => direct),
          DURATION_MS / 2,
        ),
      );
    const p1 = await proxyRun();
    await pause();
    const d1 = await directRun();
    await pause();
    const d2 = await directRun();
    await pause();
    const p2 = await proxyRun();
    await pause();
    load.push({ proxy: merge(p1, p2), direct: merge(d1, d2) });
  }

  await proxy.stop();
  proxy = undefined;
  // Every payment the proxy answered `succeeded` must be a committed row in the SQLite file.
  const dbCheck = new SQLite(dbFile, { readonly: true });
  const rows = (dbCheck.prepare("select count(*) as n from payments where status = 'succeeded'").get() as { n: number }).n;
  const journal = dbCheck.pragma('journal_mode', { simple: true });
  dbCheck.close();
  if (rows !== proxyPaid) throw new Error(`proxy answered ${proxyPaid} succeeded payments but the DB holds ${rows}`);

  const result = { machine, n: N, warmup: WARMUP, durationMs: DURATION_MS, lat, load, rows, journal: String(journal) };
  printSummary(result);
  if (!args.includes('--no-write')) {
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'proxy-bench', section(result));
    console.log('wrote the proxy section of BENCHMARKS.md');
  }
} finally {
  await proxy?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
}
