// `npm run bench:chaos [-- --payments 60 --concurrency 16 --kill-every 3-6 --fault-every 400 --load 40 --converge 90 --seed N --no-write]`
// N concurrent sales across the three provider simulators (standalone, in their own process) while the
// simulators inject random faults and the proxy is SIGKILLed and restarted every few seconds. Then faults and
// kills stop, every unanswered attempt is resumed with its journaled key, and we wait until the proxy's store
// and the providers' ledgers agree. Prints payments, lost, double charges, unresolved and time to converge;
// exits 1 if an invariant fails. Writes its section of BENCHMARKS.md unless --no-write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentMode, ProviderName } from '../../src/shared/payment.ts';
import { REPO_ROOT, startChild, type Child } from '../lib/child.ts';
import { machineInfo } from '../lib/machine.ts';
import { writeSection } from '../lib/markdown.ts';
import type { SimsChildInfo } from '../lib/sims-child.ts';
import { freePort, providerEnv } from '../lib/sims.ts';
import { clearFaults, injectFaults, killLoop, ProxyProcess, type FaultStats } from './chaos.ts';
import { runSale, sendAttempt, type ChaosContext, type Sale, type Terminal } from './customer.ts';
import { rng, STORE } from './plan.ts';
import { printSummary, section, type ChaosResult } from './report.ts';
import { holds, readLedgers, readStore, verify, type Verdict } from './verify.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : process.env[`CHAOS_${name.toUpperCase().replace(/-/g, '_')}`] ?? def;
};
const PAYMENTS = Number(arg('payments', '60'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const KILL_EVERY = arg('kill-every', '3-6').split('-').map((s) => Number(s) * 1000) as [number, number];
const FAULT_EVERY_MS = Number(arg('fault-every', '400'));
const LOAD_S = Number(arg('load', '40'));
const CONVERGE_S = Number(arg('converge', '90'));
const SEED = Number(arg('seed', String(Date.now() % 1_000_000)));
if (![PAYMENTS, CONCURRENCY, FAULT_EVERY_MS, LOAD_S, CONVERGE_S, SEED, ...KILL_EVERY].every((x) => Number.isFinite(x) && x >= 0) || PAYMENTS < 1 || CONCURRENCY < 1 || KILL_EVERY.length !== 2) {
  console.error('usage: bench/chaos/run.ts [--payments 60] [--concurrency 16] [--kill-every 3-6] [--fault-every 400] [--load 40] [--converge 90] [--seed N] [--no-write]');
  process.exit(2);
}

const PROVIDERS: ProviderName[] = ['pockyt', 'centrapay', 'payby'];
// Proxy timings: short customer windows and request timeouts so a run fits in a minute or two; the fault
// delays (≤ MAX_FAULT_DELAY_MS) straddle the request timeouts, so some calls time out after the provider
// committed. The not-found grace must exceed timeout + the longest stall.
const MAX_FAULT_DELAY_MS = 2500;
const PROXY_TIMINGS = {
  // Every open payment at ≤ 2 s whether or not a kiosk watches it, and Centrapay's request budget as raised
  // as the simulator's limit below: this bench is about faults, not about the polling budget (bench:polling).
  POLL_INITIAL_MS: '500', POLL_MAX_MS: '2000', POLL_IDLE_MS: '2000', POLL_RATE_CENTRAPAY: '100000', RECONCILE_NOT_FOUND_GRACE_MS: '8000',
  POCKYT_TIMEOUT_MS: '2000', POCKYT_PREPAY_TIMEOUT_MS: '2000', POCKYT_CONFIRM_WINDOW_MS: '6000',
  CENTRAPAY_TIMEOUT_MS: '2000', CENTRAPAY_CONFIRM_WINDOW_MS: '8000',
  PAYBY_TIMEOUT_MS: '2000', PAYBY_PLACE_ORDER_TIMEOUT_MS: '2000', PAYBY_CONFIRM_WINDOW_MS: '6000',
};

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const machine = machineInfo();
const dir = mkdtempSync(join(tmpdir(), 'bench-chaos-'));
const dbFile = join(dir, 'chaos.db');
let sims: Child<SimsChildInfo> | undefined;
let proxy: ProxyProcess | undefined;
let failed = false;

try {
  const port = await freePort();
  const proxyUrl = `http://127.0.0.1:${port}`;
  // Centrapay's real limit is 200 requests/min/account; 60 sales with recovery polling would be throttled,
  // which is a different test (tests/server/centrapay-api.test.ts). Here it is raised so faults, not 429s, bite.
  sims = await startChild<SimsChildInfo>('./sims-child.ts', { BENCH_PROXY_URL: proxyUrl, BENCH_SIM_PENDING_MS: '500', BENCH_SIM_CENTRAPAY_RATE_LIMIT: '100000' });
  const ep = sims.info.endpoints;
  const controls = { pockyt: ep.pockyt!.control, centrapay: ep.centrapay!.control, payby: ep.payby!.control };
  proxy = new ProxyProcess({
    ...providerEnv(ep), ...PROXY_TIMINGS, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: proxyUrl, STORE_ID: 'demo-us',
    DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: process.env.CHAOS_PROXY_LOG_LEVEL ?? 'silent', DIST_DIR: join(dir, 'no-dist'), BENCH_PAIR_STORES: PROVIDERS.map((p) => STORE[p].id).join(','),
  });
  const first = await proxy.start();
  const terminals = {} as Record<ProviderName, Terminal>;
  for (const p of PROVIDERS) {
    const res = await fetch(`${proxyUrl}/api/terminals/pair`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: first.info.pairingByStore[STORE[p].id] }),
    });
    if (res.status !== 201) throw new Error(`pairing ${p}: HTTP ${res.status}`);
    terminals[p] = (await res.json()) as Terminal;
  }

  // Chaos phase (fixed length): sales arrive evenly over its first 90% (at most CONCURRENCY open at once),
  // while faults and kills run until its end. Sales keep going after it (second attempts, windows closing):
  // the kiosks' deadline is the end of the convergence window.
  const t0 = Date.now();
  const chaosEnd = t0 + LOAD_S * 1000;
  const ctx: ChaosContext = { proxyUrl: () => proxyUrl, terminals, controls, deadline: chaosEnd + CONVERGE_S * 1000, noAnswer: 0 };
  const r = rng(SEED);
  const chaosOver = () => Date.now() >= chaosEnd;
  const faults = injectFaults(controls, rng(SEED + 1), FAULT_EVERY_MS, MAX_FAULT_DELAY_MS, chaosOver);
  const kills = killLoop(proxy, rng(SEED + 2), KILL_EVERY, chaosOver);
  const sales: Sale[] = [];
  const running: Promise<void>[] = [];
  let open = 0;
  let peak = 0;
  const spacing = (LOAD_S * 1000 * 0.9) / PAYMENTS;
  for (let i = 0; i < PAYMENTS; i++) {
    await sleep(Math.max(0, t0 + i * spacing - Date.now()));
    while (open >= CONCURRENCY) await sleep(50);
    const provider = PROVIDERS[i % PROVIDERS.length]!;
    const mode: PaymentMode = r() < 0.3 ? 'mpm' : 'cpm';
    const value = 500 + Math.floor(r() * 9500);
    open++;
    peak = Math.max(peak, open);
    running.push(runSale(ctx, provider, mode, rng(SEED * 1000 + i), value).then((sale) => { sales.push(sale); }).finally(() => { open--; }));
  }
  const faultStats: FaultStats = await faults;
  await kills;
  const loadMs = Date.now() - t0;

  // Recovery: no more faults or kills. Sales still in progress finish; the kiosks resume every attempt the
  // proxy never answered (same key); then wait until the store and the ledgers agree.
  await clearFaults(controls);
  const tEnd = Date.now();
  await Promise.all(running);
  const unanswered = sales.flatMap((s) => s.attempts).filter((a) => a.paymentId === null);
  for (const a of unanswered) {
    if (!(await sendAttempt(ctx, a, Date.now() + 30_000))) throw new Error(`attempt ${a.key} got no answer after the chaos stopped`);
  }
  let verdict: Verdict;
  let converged = false;
  for (;;) {
    verdict = verify(readStore(dbFile), await readLedgers(controls));
    if (holds(verdict)) { converged = true; break; }
    if (Date.now() - tEnd > CONVERGE_S * 1000) break;
    await sleep(250);
  }
  const convergeMs = Date.now() - tEnd;
  const attempts = sales.flatMap((s) => s.attempts);
  const result: ChaosResult = {
    machine, seed: SEED, payments: PAYMENTS, sales: sales.length, concurrency: CONCURRENCY, peakConcurrent: peak, killEveryMs: KILL_EVERY, faultEveryMs: FAULT_EVERY_MS,
    loadMs, convergeMs, converged, kills: proxy.kills, downMs: proxy.downMs, faults: faultStats, attempts: attempts.length,
    resent: attempts.filter((a) => a.resends > 0).length, noAnswer: ctx.noAnswer, resumedAfterLoad: unanswered.length, verdict: verdict!, timings: PROXY_TIMINGS,
  };
  printSummary(result);
  failed = !converged;
  if (!args.includes('--no-write') && !failed) {
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'chaos-bench', section(result));
    console.log('wrote the chaos section of BENCHMARKS.md');
  }
} catch (err) {
  console.error(err);
  failed = true;
} finally {
  await proxy?.stop().catch(() => {});
  await sims?.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
