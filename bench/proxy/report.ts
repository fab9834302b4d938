// Console summary and the "Proxy overhead" section of BENCHMARKS.md for bench/proxy/run.ts.
import { describeMachine, type MachineInfo } from '../lib/machine.ts';
import { table } from '../lib/markdown.ts';
import { ms, ratio, summarise } from '../lib/stats.ts';
import type { LoadResult } from './calls.ts';

export interface ProxyBenchResult {
  machine: MachineInfo;
  n: number;
  warmup: number;
  durationMs: number;
  lat: { proxy: number[]; direct: number[] };
  load: { proxy: LoadResult; direct: LoadResult }[];
  rows: number;
  journal: string;
}

const rate = (r: LoadResult) => (r.completed / r.elapsedMs) * 1000;

function latencyTable(r: ProxyBenchResult): string {
  const p = summarise(r.lat.proxy);
  const d = summarise(r.lat.direct);
  return table(
    ['path', 'payments', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    [
      ['direct to simulator (add + prepay; baseline)', d.n, ms(d.p50), ms(d.p95), ms(d.p99), ms(d.max)],
      ['through the proxy (POST /api/payments)', p.n, ms(p.p50), ms(p.p95), ms(p.p99), ms(p.max)],
      ['**added by the proxy**', '', `**${ms(p.p50 - d.p50)}**`, ms(p.p95 - d.p95), `**${ms(p.p99 - d.p99)}**`, ''],
      ['proxy ÷ direct', '', ratio(p.p50, d.p50), ratio(p.p95, d.p95), ratio(p.p99, d.p99), ''],
    ],
  );
}

function loadTable(r: ProxyBenchResult): string {
  const rows: (string | number)[][] = [];
  for (const { proxy, direct } of r.load) {
    const p = summarise(proxy.latencies);
    const d = summarise(direct.latencies);
    rows.push([
      proxy.concurrency,
      rate(proxy).toFixed(0), ms(p.p50), ms(p.p99), proxy.errors,
      rate(direct).toFixed(0), ms(d.p50), ms(d.p99), direct.errors,
      ratio(rate(proxy), rate(direct)),
    ]);
  }
  return table(
    ['clients', 'proxy payments/s', 'proxy p50 ms', 'proxy p99 ms', 'proxy errors', 'direct payments/s', 'direct p50 ms', 'direct p99 ms', 'direct errors', 'proxy ÷ direct (rate)'],
    rows,
  );
}

function cpuTable(r: ProxyBenchResult): string {
  const rows: (string | number)[][] = [];
  for (const { proxy, direct } of r.load) {
    const p = proxy.cpuPerPayment;
    const d = direct.cpuPerPayment;
    const pw = proxy.waitPerPayment;
    const dw = direct.waitPerPayment;
    if (!p || !d || !pw || !dw) continue;
    const util = (proxy.completed * p.proxy) / proxy.elapsedMs;
    rows.push([proxy.concurrency, 'through the proxy', ms(p.proxy), ms(pw.proxy), `${Math.round(util * 100)}%`, ms(p.sim), ms(pw.sim), ms(p.client), ms(pw.client), (1000 / p.proxy).toFixed(0)]);
    rows.push([direct.concurrency, 'direct (baseline)', '–', '–', '–', ms(d.sim), ms(dw.sim), ms(d.client), ms(dw.client), '–']);
  }
  return table([
    'clients', 'path', 'proxy CPU ms/payment', 'proxy run-queue wait ms/payment', 'proxy busy (of 1 core)',
    'simulator CPU ms/payment', 'simulator wait ms/payment', 'load gen CPU ms/payment', 'load gen wait ms/payment', 'proxy ceiling per core (payments/s)',
  ], rows);
}

const avgProxyCpu = (r: ProxyBenchResult) => {
  const xs = r.load.map((l) => l.proxy.cpuPerPayment?.proxy).filter((x): x is number => x !== undefined);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
};

function reading(r: ProxyBenchResult): string {
  const p = summarise(r.lat.proxy);
  const d = summarise(r.lat.direct);
  const best = r.load.reduce((a, b) => (rate(b.proxy) > rate(a.proxy) ? b : a));
  const top = r.load[r.load.length - 1];
  return [
    `A payment through the proxy took ${ms(p.p50)} ms at the median against ${ms(d.p50)} ms for the same two provider calls made directly`,
    `(${ms(p.p50 - d.p50)} ms added at p50, ${ms(p.p99 - d.p99)} ms at p99).`,
    `That added time is the proxy's own work per payment: one more HTTP hop, request validation, the idempotency lookup, the`,
    '`created` row and the verdict transition (each its own SQLite transaction with an event row), and re-signing for the provider.',
    `Against a real wallet provider, whose add + prepay round trips take hundreds of milliseconds over the internet, it is small.`,
    `Sustained, one SQLite-backed proxy process peaked at ${rate(best.proxy).toFixed(0)} payments/s (${best.proxy.concurrency} clients);`,
    `at ${top.proxy.concurrency} clients it managed ${rate(top.proxy).toFixed(0)}/s with p99 ${ms(summarise(top.proxy.latencies).p99)} ms,`,
    `${ratio(rate(top.proxy), rate(top.direct))} of what the bare simulator served at the same concurrency.`,
    `The proxy process spent about ${ms(avgProxyCpu(r))} ms of CPU per payment (mean over the concurrency levels), i.e. roughly`,
    `${(1000 / avgProxyCpu(r)).toFixed(0)} payments/s per core if it had one to itself;`,
    'on 2 shared cores the three processes (and other tenants) compete for CPU, so the sustained figures are a floor for this',
    'machine, not a capacity plan — and a store\'s kiosks make a payment every few seconds each, far below these rates.',
  ].join(' ');
}

export function section(r: ProxyBenchResult): string {
  const m = r.machine;
  return [
    '## Proxy overhead',
    '',
    `Measured ${m.date} with \`npm run bench:proxy\` (\`bench/proxy/run.ts\`) on ${describeMachine(m)}.`,
    'Three processes on loopback: the load generator (kiosks), the Pockyt simulator (`startPockytSimulator`, own process,',
    'IPNs off) and the proxy (`buildApp(loadConfig(env))` in a child process — its own event loop, so the load generator\'s',
    `work is not counted as proxy time) with \`DATABASE_URL=sqlite:<tmp>/bench.db\` (journal_mode=${r.journal}, synchronous=NORMAL),`,
    '`DEMO=0` and `POCKYT_BASE_URL` pointing at the simulator, `LOG_LEVEL=silent`. Every payment is a CPM payment with a fresh',
    'Alipay-shaped code ending 0001 (instant success), a new order and a new Idempotency-Key; it counts only if it came back',
    '`succeeded`, and at the end the SQLite file must hold exactly as many succeeded rows as the proxy reported',
    `(${r.rows}). Baseline: the same signed \`add\` + \`prepay\` calls the adapter makes, sent with \`rawPockytCall\` straight`,
    'to the same simulator, measured in the same run.',
    '',
    `**Added latency** — ${r.n} sequential payments per path after ${r.warmup} warm-up payments each, interleaved`,
    '(alternating which path goes first) so background load on this shared machine hits both alike:',
    '',
    latencyTable(r),
    '',
    `**Sustained rate** — C clients paying back to back for ${r.durationMs / 1000} s per path, run as halves in the order`,
    'proxy, direct, direct, proxy (each proxy client is its own paired terminal); payments/s over the real elapsed time:',
    '',
    loadTable(r),
    '',
    'CPU time per payment, read from each process (`process.cpuUsage()`) around each sustained run — steadier than wall',
    'time when other tenants steal the cores; the ceiling is 1000 ÷ proxy CPU ms. "Wait" is the time the process\'s main',
    'thread sat runnable with no free core (`/proc/<pid>/schedstat`), i.e. what the shared machine, not the code, cost:',
    '',
    cpuTable(r),
    '',
    reading(r),
  ].join('\n');
}

export function printSummary(r: ProxyBenchResult): void {
  console.log(`\n${latencyTable(r)}\n\n${loadTable(r)}\n\n${cpuTable(r)}\n`);
}
