// `npm run bench:scale [-- --terminals 12 --throughput 15 --rounds 2 --payments 60 --concurrency 16 --load 40 --settle 60
//                          --kill-every 3-6 --seed N --no-write]`   (needs BENCH_DATABASE_URL or TEST_DATABASE_URL:
// a Postgres server where it may create databases)
// Several proxies on one Postgres (issue 10), in three phases, each on a fresh database and fresh simulators:
//   1. payments/s with ONE instance: `terminals` kiosks selling instantly-paid sales for `throughput` seconds;
//   2. the same load on THREE instances (each request to a random one, as behind a load balancer);
//      1 and 2 alternate for `rounds` rounds;
//   3. chaos on three instances: sales, refunds and voids from many terminals while a random instance is
//      SIGKILLed and restarted every few seconds; then the books are compared with the providers' ledgers.
// Prints lost, double charges, books ≠ provider, unresolved, provider requests and duplicates per payment, and
// writes its section of BENCHMARKS.md unless --no-write. Exits 1 if an invariant fails.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ProviderName } from '../../src/shared/payment.ts';
import type { Terminal } from '../chaos/kiosk-api.ts';
import { STORE } from '../chaos/plan.ts';
import { PROXY_TIMINGS } from '../chaos/session.ts';
import { holds } from '../chaos/verify.ts';
import { REPO_ROOT, startChild } from '../lib/child.ts';
import { startForwarder } from '../lib/forwarder.ts';
import { LOAD_GENERATOR_LIMITS } from '../lib/limits.ts';
import { machineInfo } from '../lib/machine.ts';
import { writeSection } from '../lib/markdown.ts';
import type { SimsChildInfo } from '../lib/sims-child.ts';
import { callStats } from './calls.ts';
import { runScaleChaos } from './chaos.ts';
import { Cluster } from './cluster.ts';
import { createDatabase, readBooks } from './database.ts';
import { printScale, scaleSection, type ScaleResult } from './report.ts';
import { measureThroughput } from './throughput.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (!adminUrl?.startsWith('postgres')) {
  console.error('bench:scale needs BENCH_DATABASE_URL (or TEST_DATABASE_URL) = postgres://… where it may create databases');
  process.exit(2);
}
const o = {
  seed: Number(arg('seed', String(Date.now() % 1_000_000))),
  terminals: Number(arg('terminals', '12')),
  throughputS: Number(arg('throughput', '15')),
  rounds: Number(arg('rounds', '2')),
  payments: Number(arg('payments', '60')),
  concurrency: Number(arg('concurrency', '16')),
  loadS: Number(arg('load', '40')),
  settleS: Number(arg('settle', '60')),
  killEveryMs: arg('kill-every', '3-6')
    .split('-')
    .map((x) => Number(x) * 1000) as [number, number],
  leaseMs: 3000,
  pin: '1234',
};

const PROVIDERS: ProviderName[] = ['pockyt', 'centrapay', 'payby'];
let current: Cluster | null = null;
// Providers notify "the chain's address": a balancer in front of whichever instances are up.
const balancer = await startForwarder(() => current?.pick(Math.random) ?? 'http://127.0.0.1:9');
const env = {
  ...PROXY_TIMINGS,
  ...LOAD_GENERATOR_LIMITS,
  LEASE_MS: String(o.leaseMs),
  STORE_ID: 'demo-us',
  SUPERVISOR_PIN: o.pin,
  LOG_LEVEL: process.env.SCALE_PROXY_LOG_LEVEL ?? 'silent',
  DIST_DIR: join(tmpdir(), 'kiosk-scale-no-dist'),
};

async function pair(baseUrl: string, code: string): Promise<Terminal> {
  const res = await fetch(`${baseUrl}/api/terminals/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  if (res.status !== 201) throw new Error(`pairing: HTTP ${res.status}`);
  return (await res.json()) as Terminal;
}

type Controls = Record<ProviderName, string>;

/** One phase: fresh simulators (their ledgers hold this phase only), a fresh database, `size` instances. */
async function withCluster<T>(
  size: number,
  pairing: Record<string, string>,
  run: (c: Cluster, url: string, controls: Controls) => Promise<T>,
): Promise<T> {
  const sims = await startChild<SimsChildInfo>('./sims-child.ts', {
    BENCH_PROXY_URL: balancer.url,
    BENCH_SIM_PENDING_MS: '500',
    BENCH_SIM_CENTRAPAY_RATE_LIMIT: '100000',
  });
  const ep = sims.info.endpoints;
  const controls = { pockyt: ep.pockyt!.control, centrapay: ep.centrapay!.control, payby: ep.payby!.control };
  const db = await createDatabase(adminUrl!);
  const cluster = await Cluster.start(size, { ...env, DATABASE_URL: db.url }, ep, pairing);
  current = cluster;
  try {
    return await run(cluster, db.url, controls);
  } finally {
    current = null;
    await cluster.stop();
    await sims.stop();
    await db.drop();
  }
}

const throughputOn = (size: number) =>
  withCluster(size, { BENCH_TERMINALS: String(o.terminals) }, async (c, url) => {
    const tokens = await Promise.all(c.first().info.pairingCodes.map(async (code) => (await pair(c.slots[0].url, code)).token));
    const t = await measureThroughput(c, tokens, o.throughputS, o.seed);
    return { ...t, calls: callStats(await readBooks(url), c.sent()) };
  });

try {
  // Alternated (1, 3, 1, 3, …): on a shared box the load from elsewhere drifts, and this spreads it over both.
  const rounds: Awaited<ReturnType<typeof throughputOn>>[] = [];
  for (let i = 0; i < o.rounds; i++) {
    for (const size of [1, 3]) {
      const t = await throughputOn(size);
      console.log(`round ${i + 1}, ${size} instance(s): ${t.perSecond.toFixed(1)} payments/s`);
      rounds.push(t);
    }
  }
  const chaos = await withCluster(
    3,
    { BENCH_TERMINALS: String(o.terminals), BENCH_PAIR_STORES: PROVIDERS.map((p) => STORE[p].id).join(',') },
    async (c, url, controls) => {
      const info = c.first().info;
      const pockyt = await Promise.all(info.pairingCodes.map((code) => pair(c.slots[0].url, code)));
      const centrapay = await pair(c.slots[0].url, info.pairingByStore[STORE.centrapay.id]);
      const payby = await pair(c.slots[0].url, info.pairingByStore[STORE.payby.id]);
      const lanes = pockyt.map((t) => ({ pockyt: t, centrapay, payby }));
      return runScaleChaos({ ...o }, c, url, controls, lanes);
    },
  );
  const result: ScaleResult = { machine: machineInfo(), options: o, rounds, chaos };
  printScale(result);
  if (!args.includes('--no-write')) writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'scale', scaleSection(result));
  process.exitCode = holds(chaos.verdict) ? 0 : 1;
} finally {
  await balancer.close();
}
