// Console summaries (one per seed, then the total) and the "Chaos" section of BENCHMARKS.md for run.ts.
import type { MachineInfo } from '../lib/machine.ts';
import type { FaultStats } from './chaos.ts';
import type { StaffRun } from './staff.ts';
import { holds, type Verdict } from './verify.ts';

export interface ChaosResult {
  machine: MachineInfo;
  seed: number;
  payments: number;
  sales: number;
  concurrency: number;
  peakConcurrent: number;
  killEveryMs: [number, number];
  faultEveryMs: number;
  /** The chaos phase as planned, and as it lasted (the last kill's restart can run over). */
  loadS: number;
  loadMs: number;
  /** From the end of the chaos to the first check (every invariant held, or the settle deadline passed). */
  convergeMs: number;
  converged: boolean;
  /** From the end of the chaos until every sale (second attempts, supervisor actions) had finished. */
  salesDoneMs: number;
  /** Sales still going well after the chaos stopped, with what kept them going. */
  lateSales: string[];
  /** Findings at the last check before the first check agreed (none if it agreed at once). */
  lastToAgree: string[];
  recheckS: number;
  kills: number;
  downMs: number[];
  faults: FaultStats;
  attempts: number;
  resent: number;
  noAnswer: number;
  resumedAfterLoad: number;
  /** Attempts where the cashier pressed Cancel as the customer approved. */
  cancelRaces: number;
  staff: StaffRun[];
  firstCheck: Verdict;
  /** The second check: what the run is judged on. */
  verdict: Verdict;
  /** Payments that changed between the two checks. */
  drift: string[];
  /** For every payment a finding names: the bench's actions, our event rows, refund rows, the provider's record. */
  traces: string[];
  timings: Record<string, string>;
}

/** A run that did not get as far as a verdict (watchdog, a child that would not start). */
export interface ChaosFailure {
  seed: number;
  error: string;
}

export type SeedOutcome = ChaosResult | ChaosFailure;
const isResult = (x: SeedOutcome): x is ChaosResult => 'verdict' in x;
export const passed = (x: SeedOutcome): boolean => isResult(x) && holds(x.verdict);

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mark = (n: number) => (n === 0 ? `**0** ✓` : `**${n}** ✗`);

const FINDINGS: [string, (v: Verdict) => string[]][] = [
  ['lost (provider captured, our books say unpaid or never heard of it)', (v) => v.lost],
  ['phantom (our books say captured, the provider never captured)', (v) => v.phantom],
  ['double charges (an order charged more than once)', (v) => v.doubleCharges],
  ['two provider transactions under one reference', (v) => v.duplicateTransactions],
  ['books ≠ provider (status or refunded sum)', (v) => v.booksMismatch],
  ['unresolved (payment or refund still open)', (v) => v.unresolved],
  ["refunds exceeding the capture (ours or the provider's)", (v) => v.refundsExceed],
  ["amount differs from the provider's", (v) => v.wrongAmount],
];

/** "refund 201 succeeded ×12, void 409 void_not_allowed ×3, …" */
export function staffOutcomes(runs: StaffRun[]): string {
  const counts = new Map<string, number>();
  for (const step of runs.flatMap((r) => r.steps))
    counts.set(`${step.action} ${step.outcome}`, (counts.get(`${step.action} ${step.outcome}`) ?? 0) + 1);
  return (
    [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ') || 'none'
  );
}

export function staffPlans(runs: StaffRun[]): Record<string, number> {
  const plans: Record<string, number> = {};
  for (const r of runs) plans[r.plan] = (plans[r.plan] ?? 0) + 1;
  return plans;
}

/** Table rows, one column per seed (and a total column when there are several). */
export function resultRows(outcomes: SeedOutcome[]): (string | number)[][] {
  const results = outcomes.filter(isResult);
  const cell = (f: (r: ChaosResult) => string | number, total?: (rs: ChaosResult[]) => string | number) => [
    ...outcomes.map((o) => (isResult(o) ? f(o) : 'no verdict')),
    ...(outcomes.length > 1 ? [total ? total(results) : ''] : []),
  ];
  const sum = (f: (r: ChaosResult) => number) => (rs: ChaosResult[]) => rs.reduce((a, r) => a + f(r), 0);
  const steps = (r: ChaosResult, action: string) => r.staff.flatMap((x) => x.steps).filter((x) => x.action === action).length;
  const plan = (r: ChaosResult, p: string) => r.staff.filter((x) => x.plan === p).length;
  return [
    [
      'sales',
      ...cell(
        (r) => r.sales,
        sum((r) => r.sales),
      ),
    ],
    [
      'payment attempts (rows in the proxy store)',
      ...cell(
        (r) => r.verdict.payments,
        sum((r) => r.verdict.payments),
      ),
    ],
    [
      'refund requests / voids sent by supervisors',
      ...cell(
        (r) => `${steps(r, 'refund')} / ${steps(r, 'void')}`,
        (rs) => `${sum((r) => steps(r, 'refund'))(rs)} / ${sum((r) => steps(r, 'void'))(rs)}`,
      ),
    ],
    [
      'races: void vs refund / two refunds / cancel vs approval',
      ...cell(
        (r) => `${plan(r, 'void_vs_refund')} / ${plan(r, 'refunds_race')} / ${r.cancelRaces}`,
        (rs) =>
          `${sum((r) => plan(r, 'void_vs_refund'))(rs)} / ${sum((r) => plan(r, 'refunds_race'))(rs)} / ${sum((r) => r.cancelRaces)(rs)}`,
      ),
    ],
    [
      'proxy kills / simulator faults',
      ...cell(
        (r) => `${r.kills} / ${r.faults.injected}`,
        (rs) => `${sum((r) => r.kills)(rs)} / ${sum((r) => r.faults.injected)(rs)}`,
      ),
    ],
    ...FINDINGS.map(([name, list]) => [
      name,
      ...cell(
        (r) => mark(list(r.verdict).length),
        (rs) => mark(sum((r) => list(r.verdict).length)(rs)),
      ),
    ]),
    [
      'sales and supervisor actions still running after the chaos: done after',
      ...cell(
        (r) => s(r.salesDoneMs),
        (rs) => `max ${s(Math.max(...rs.map((r) => r.salesDoneMs)))}`,
      ),
    ],
    [
      'first check: books = ledgers after',
      ...cell(
        (r) => (r.converged ? s(r.convergeMs) : `not within ${s(r.convergeMs)}`),
        (rs) => `${rs.filter((r) => r.converged).length} of ${outcomes.length} seeds agreed`,
      ),
    ],
    [
      'payments changed between the two checks',
      ...cell(
        (r) => r.drift.length,
        sum((r) => r.drift.length),
      ),
    ],
  ];
}

export function printSummary(o: SeedOutcome): void {
  if (!isResult(o)) {
    console.log(`\nchaos run (seed ${o.seed}): NO VERDICT — ${o.error}`);
    return;
  }
  const r = o;
  const v = r.verdict;
  const down = [...r.downMs].sort((a, b) => a - b);
  console.log(
    `\nchaos run (seed ${r.seed}): ${r.sales} sales (peak ${r.peakConcurrent} at once), ${r.attempts} attempts, ${r.kills} proxy kills (down ${down.length ? `${down[0]}–${down.at(-1)} ms` : '–'}), ${r.faults.injected} faults in ${s(r.loadMs)}`,
  );
  for (const [k, val] of resultRows([r])) console.log(`  ${String(k).padEnd(72)} ${String(val).replace(/\*\*/g, '')}`);
  console.log(
    `  supervisor plans: ${Object.entries(staffPlans(r.staff))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  console.log(`  staff answers: ${staffOutcomes(r.staff)}`);
  console.log(
    `  kiosk: ${r.noAnswer} requests without an answer (proxy down); ${r.resent} attempts re-sent at least once; ${r.resumedAfterLoad} resumed after the chaos stopped`,
  );
  console.log(
    `  provider ledgers: ${v.ledgerEntries} transactions, net charged ${v.netChargedTotal}, refunded ${v.refundedTotal.provider} (our books: ${v.refundedTotal.ours}) minor units`,
  );
  console.log(
    `  after the chaos: sales finished in ${s(r.salesDoneMs)}; books agreed after ${s(r.convergeMs)}${r.lastToAgree.length ? `; last to agree: ${r.lastToAgree.join('; ')}` : ''}`,
  );
  for (const x of r.lateSales) console.log(`  late: ${x}`);
  for (const [name, list] of FINDINGS) for (const x of list(v)) console.log(`  ✗ ${name.split(' (')[0]}: ${x}`);
  for (const d of r.drift) console.log(`  changed after the first check: ${d}`);
  for (const t of r.traces) console.log(`  trace: ${t}`);
  console.log(holds(v) ? `seed ${r.seed}: INVARIANTS HOLD` : `seed ${r.seed}: INVARIANT FAILED`);
}

export function printTotal(outcomes: SeedOutcome[]): void {
  console.log(`\nchaos total over ${outcomes.length} seeds (${outcomes.map((o) => o.seed).join(', ')}):`);
  const rows = resultRows(outcomes);
  for (const row of rows) console.log(`  ${String(row[0]).padEnd(72)} ${String(row.at(-1)).replace(/\*\*/g, '')}`);
  const failed = outcomes.filter((o) => !passed(o)).map((o) => o.seed);
  console.log(failed.length === 0 ? 'ALL SEEDS: INVARIANTS HOLD' : `INVARIANT FAILED for seed(s) ${failed.join(', ')}`);
}
