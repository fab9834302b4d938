// Console summary and the "Chaos" section of BENCHMARKS.md for bench/chaos/run.ts.
import { describeMachine, type MachineInfo } from '../lib/machine.ts';
import { table } from '../lib/markdown.ts';
import type { FaultStats } from './chaos.ts';
import type { Verdict } from './verify.ts';

export interface ChaosResult {
  machine: MachineInfo;
  seed: number;
  payments: number;
  sales: number;
  concurrency: number;
  peakConcurrent: number;
  killEveryMs: [number, number];
  faultEveryMs: number;
  loadMs: number;
  convergeMs: number;
  converged: boolean;
  kills: number;
  downMs: number[];
  faults: FaultStats;
  attempts: number;
  resent: number;
  noAnswer: number;
  resumedAfterLoad: number;
  verdict: Verdict;
  timings: Record<string, string>;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function invariantRows(r: ChaosResult): (string | number)[][] {
  const v = r.verdict;
  const mark = (n: number) => (n === 0 ? `**0** ✓` : `**${n}** ✗`);
  return [
    ['payments (sales started)', r.sales],
    ['payment attempts (rows in the proxy store)', `${v.payments} (${Object.entries(v.byStatus).sort().map(([k, n]) => `${k} ${n}`).join(', ')})`],
    ['lost (provider holds money the proxy does not record as paid)', mark(v.lost.length)],
    ['phantom (proxy records paid, provider holds no money)', mark(v.phantom.length)],
    ['double charges (an order charged more than once)', mark(v.doubleCharges.length)],
    ['two provider transactions under one reference', mark(v.duplicateTransactions.length)],
    ['unresolved after the run (created/pending/unknown)', mark(v.unresolved.length)],
    ['time to converge after the last kill/fault', r.converged ? s(r.convergeMs) : `did not converge in ${s(r.convergeMs)}`],
  ];
}

export function printSummary(r: ChaosResult): void {
  const v = r.verdict;
  const down = [...r.downMs].sort((a, b) => a - b);
  console.log(`\nchaos run (seed ${r.seed}): ${r.sales} sales (peak ${r.peakConcurrent} at once), ${r.attempts} attempts, ${r.kills} proxy kills (down ${down.length ? `${down[0]}–${down.at(-1)} ms` : '–'}), ${r.faults.injected} faults in ${s(r.loadMs)}`);
  for (const [k, val] of invariantRows(r)) console.log(`  ${String(k).padEnd(64)} ${String(val).replace(/\*\*/g, '')}`);
  console.log(`  kiosk: ${r.noAnswer} requests without an answer (proxy down); ${r.resent} attempts re-sent at least once; ${r.resumedAfterLoad} resumed after the chaos stopped`);
  console.log(`  provider ledgers: ${v.ledgerEntries} transactions, net charged ${v.netChargedTotal} minor units in total`);
  for (const [name, list] of [['lost', v.lost], ['phantom', v.phantom], ['double', v.doubleCharges], ['duplicate', v.duplicateTransactions], ['unresolved', v.unresolved], ['wrong amount', v.wrongAmount]] as const) {
    for (const x of list.slice(0, 10)) console.log(`  ${name}: ${x}`);
  }
  console.log(r.converged ? 'INVARIANTS HOLD' : 'INVARIANT FAILED');
}

export function section(r: ChaosResult): string {
  const faultKinds = Object.entries(r.faults.byKind).sort().map(([k, n]) => `${k} ${n}`).join(', ');
  const down = [...r.downMs].sort((a, b) => a - b);
  return [
    '## Chaos: no payment lost, none charged twice',
    '',
    `Measured ${r.machine.date} with \`npm run bench:chaos\` (\`bench/chaos/run.ts\`, seed ${r.seed}) on ${describeMachine(r.machine)}.`,
    `${r.payments} sales arriving evenly over the first 90% of a ${s(r.loadMs)} chaos phase (up to ${r.peakConcurrent} in progress at once), spread`,
    'round-robin over the Pockyt, Centrapay and PayBy simulators (standalone, in their own',
    'process, so they keep their ledgers and keep retrying notifications while the proxy is down); ~30% merchant QR, the rest',
    'customer codes: instant, delayed approval, decline, a wallet code the customer approves, declines or ignores on the phone,',
    'a QR paid or walked away from. A declined/expired first attempt is followed by a second one (new Idempotency-Key) on the',
    `same order; a cashier cancels a QR the customer walked away from (and half the ignored wallet charges) after 1.5–4 s.`,
    `During the chaos phase the simulators took a random one-shot fault every ~${r.faultEveryMs} ms (${r.faults.injected} in all:`,
    `${faultKinds}; stalls of 0.1–2.5 s, against 2 s request timeouts, on the charging calls and on the query/cancel`,
    `calls recovery uses), and the proxy was SIGKILLed and restarted on the same SQLite file every ${r.killEveryMs[0] / 1000}–${r.killEveryMs[1] / 1000} s`,
    `(${r.kills} kills, ${down.length ? `${down[0]}–${down.at(-1)} ms` : '–'} down each). Kiosks re-sent each attempt with its journaled key while the proxy was`,
    `down (${r.noAnswer} kiosk requests went unanswered; ${r.resent} payment attempts had to be re-sent; ${r.resumedAfterLoad} were resumed after the chaos stopped). Then faults and kills stop and the run`,
    'waits until the proxy\'s store (read from its SQLite file) and the simulators\' ledgers (`GET /control/ledger`) agree.',
    `Proxy settings: ${Object.entries(r.timings).map(([k, v]) => `${k}=${v}`).join(', ')}.`,
    '',
    table(['invariant', 'result'], invariantRows(r)),
    '',
    `Provider ledgers after the run: ${r.verdict.ledgerEntries} transactions. "Time to converge" runs from the end of the chaos phase`,
    '(last kill, faults cleared) to the first moment every invariant holds, with the last sales still in progress: unpaid ones',
    'are closed at the provider (cancel/void/revoke) only once their customer window (6–8 s here) has passed, and a decline',
    'is followed by a second attempt.',
  ].join('\n');
}
