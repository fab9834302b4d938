// Confirmation-latency bench (DESIGN §13; issue 9): `npm run bench:confirm` (= npx tsx bench/confirm/run.ts).
//   [--n 30] [--lanes 10] [--think 2000,10000] [--no-write]
// How long after the wallet provider marks a payment paid does the kiosk know? The requirement: with provider
// notifications off, p95 ≤ 1 s, with the kiosk's event stream up (push) and with it dropped (the kiosk polls
// every 0.5 s). The proxy runs in a child process in demo mode (simulator in-process, as `npm start` runs it),
// poller at its defaults, SQLite file in a temp dir, a fresh proxy per run. Two configurations — notifications
// off (the requirement) and on (the demo's default, the baseline) — each with the stream up and dropped.
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
export const KIOSK_POLL_MS = 1500; // src/lib/checkout/attempt-core.ts: pollIntervalMs default (stream up but quiet)
export const KIOSK_DOWN_POLL_MS = 500; // src/lib/checkout/payment-watch.ts: downPollMs default (stream down)

const CONFIGS: { label: string; env: Record<string, string> }[] = [
  { label: 'notifications off', env: { SIM_POCKYT_IPN_SCHEDULE_MS: 'none' } },
  { label: 'notifications on (baseline)', env: {} },
];
const STREAMS = [
  { stream: true, kioskPollMs: KIOSK_POLL_MS },
  { stream: false, kioskPollMs: KIOSK_DOWN_POLL_MS },
];

const machine = machineInfo();
const dir = mkdtempSync(join(tmpdir(), 'bench-confirm-'));
try {
  const results: ConfirmResult[] = [];
  for (const c of CONFIGS) {
    for (const { stream, kioskPollMs } of STREAMS) {
      process.stderr.write(`${c.label}, stream ${stream ? 'up' : 'dropped'}: ${N} payments on ${LANES} kiosks…\n`);
      results.push(
        await measureConfirm({
          label: `${c.label}, stream ${stream ? 'up' : 'dropped'}`,
          env: c.env,
          payments: N,
          lanes: Math.min(LANES, N),
          thinkMs: THINK,
          kioskPollMs,
          stream,
          giveUpMs: 20_000,
          tmpDir: dir,
        }),
      );
    }
  }
  const run = { machine, n: N, lanes: Math.min(LANES, N), thinkMs: THINK, results };
  printSummary(run);
  if (!args.includes('--no-write')) {
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'confirm-bench', section(run));
    console.log('wrote the confirmation section of BENCHMARKS.md');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
