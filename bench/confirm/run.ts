// Confirmation-latency bench (DESIGN §13): `npm run bench:confirm` (= npx tsx bench/confirm/run.ts).
//   [--n 30] [--lanes 10] [--think 2000,10000] [--no-write]
// How long after the wallet provider marks a payment paid does the kiosk know: pushed over SSE vs polled
// every 1.5 s? The proxy runs in a child process in demo mode (simulator in-process, as `npm start` runs it),
// SQLite file in a temp dir. Three server configurations, each a fresh proxy:
//   - poller defaults (POLL_INITIAL_MS=1000, POLL_MAX_MS=5000), simulator IPNs off: push relies on the poller;
//   - tight poller (POLL_INITIAL_MS=100, POLL_MAX_MS=250), IPNs off;
//   - poller defaults with the simulator's IPN (first attempt at once, the demo's default schedule).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/child.ts';
import { machineInfo } from '../lib/machine.ts';
import { writeSection } from '../lib/markdown.ts';
import { measureConfirm, type ConfirmResult } from './measure.ts';
import { printSummary, section } from './report.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const N = Number(arg('n', '30'));
const LANES = Number(arg('lanes', '10'));
const THINK = arg('think', '2000,10000').split(',').map(Number) as [number, number];
if (
  ![N, LANES, ...THINK].every((x) => Number.isInteger(x) && x >= 0) ||
  N < 1 ||
  LANES < 1 ||
  LANES > 50 ||
  THINK.length !== 2 ||
  THINK[1] < THINK[0]
) {
  console.error('usage: bench/confirm/run.ts [--n 30] [--lanes 10] [--think 2000,10000] [--no-write]');
  process.exit(2);
}
export const KIOSK_POLL_MS = 1500; // src/lib/checkout/attempt-core.ts: pollIntervalMs default

const CONFIGS: { label: string; env: Record<string, string> }[] = [
  { label: 'poller defaults, no IPN', env: { SIM_POCKYT_IPN_SCHEDULE_MS: 'none' } },
  { label: 'tight poller, no IPN', env: { SIM_POCKYT_IPN_SCHEDULE_MS: 'none', POLL_INITIAL_MS: '100', POLL_MAX_MS: '250' } },
  { label: 'poller defaults + IPN', env: {} },
];

const machine = machineInfo();
const dir = mkdtempSync(join(tmpdir(), 'bench-confirm-'));
try {
  const results: ConfirmResult[] = [];
  for (const c of CONFIGS) {
    process.stderr.write(`${c.label}: ${N} payments on ${LANES} kiosks…\n`);
    results.push(
      await measureConfirm({
        label: c.label,
        env: c.env,
        payments: N,
        lanes: Math.min(LANES, N),
        thinkMs: THINK,
        kioskPollMs: KIOSK_POLL_MS,
        giveUpMs: 20_000,
        tmpDir: dir,
      }),
    );
  }
  const run = { machine, n: N, lanes: Math.min(LANES, N), thinkMs: THINK, kioskPollMs: KIOSK_POLL_MS, results };
  printSummary(run);
  if (!args.includes('--no-write')) {
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'confirm-bench', section(run));
    console.log('wrote the confirmation section of BENCHMARKS.md');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
