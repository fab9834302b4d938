// `npm run bench:chaos [-- --seed N --seeds 3 --payments 60 --concurrency 16 --kill-every 3-6 --fault-every 400
//                          --load 40 --settle 60 --recheck 15 --no-write]`
// Sales across the three provider simulators while the simulators inject random faults and the proxy is
// SIGKILLed and restarted every few seconds; supervisors refund and void, sometimes racing each other or the
// customer (session.ts). Then the proxy's books are compared with the providers' ledgers, twice (verify.ts).
// --seeds K runs seeds N, N+1, … N+K-1 one after the other, each bounded in time, and prints one summary per
// seed and the total. Exits 1 if any invariant fails for any seed. Writes its section of BENCHMARKS.md (also
// when an invariant failed: the findings are the result) unless --no-write.
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/child.ts';
import { machineInfo } from '../lib/machine.ts';
import { writeSection } from '../lib/markdown.ts';
import { passed, printSummary, printTotal, type SeedOutcome } from './report.ts';
import { section } from './section.ts';
import { runChaos, runLimitMs, type RunOptions } from './session.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : (process.env[`CHAOS_${name.toUpperCase().replace(/-/g, '_')}`] ?? def);
};
const SEEDS = Number(arg('seeds', '1'));
const options: RunOptions = {
  seed: Number(arg('seed', String(Date.now() % 1_000_000))),
  payments: Number(arg('payments', '60')),
  concurrency: Number(arg('concurrency', '16')),
  killEveryMs: arg('kill-every', '3-6')
    .split('-')
    .map((x) => Number(x) * 1000) as [number, number],
  faultEveryMs: Number(arg('fault-every', '400')),
  loadS: Number(arg('load', '40')),
  settleS: Number(arg('settle', '60')),
  recheckS: Number(arg('recheck', '15')),
  pin: process.env.SUPERVISOR_PIN ?? '1234',
};
const numbers = [
  SEEDS,
  options.seed,
  options.payments,
  options.concurrency,
  options.faultEveryMs,
  options.loadS,
  options.settleS,
  options.recheckS,
  ...options.killEveryMs,
];
if (
  !numbers.every((x) => Number.isFinite(x) && x >= 0) ||
  options.payments < 1 ||
  options.concurrency < 1 ||
  options.killEveryMs.length !== 2 ||
  SEEDS < 1 ||
  SEEDS > 10
) {
  console.error(
    'usage: bench/chaos/run.ts [--seed N] [--seeds 1..10] [--payments 60] [--concurrency 16] [--kill-every 3-6] [--fault-every 400] [--load 40] [--settle 60] [--recheck 15] [--no-write]',
  );
  process.exit(2);
}

const machine = machineInfo();
const outcomes: SeedOutcome[] = [];
console.log(`chaos: ${SEEDS} seed(s) from ${options.seed}; each run ends within ${runLimitMs(options) / 1000} s`);
for (let k = 0; k < SEEDS; k++) {
  const seed = options.seed + k;
  try {
    outcomes.push(await runChaos({ ...options, seed }, machine));
  } catch (err) {
    console.error(err);
    outcomes.push({ seed, error: err instanceof Error ? err.message : String(err) });
  }
  printSummary(outcomes.at(-1)!);
}
if (SEEDS > 1) printTotal(outcomes);
if (!args.includes('--no-write') && outcomes.some((o) => 'verdict' in o)) {
  writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'chaos-bench', section(outcomes));
  console.log('wrote the chaos section of BENCHMARKS.md');
}
process.exit(outcomes.every(passed) ? 0 : 1);
