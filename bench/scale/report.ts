// The scale bench's summary: printed, and as its BENCHMARKS.md section.
import type { Verdict } from '../chaos/verify.ts';
import { describeMachine, type MachineInfo } from '../lib/machine.ts';
import { table } from '../lib/markdown.ts';
import { DUPLICATE_WITHIN_MS, type CallStats } from './calls.ts';
import type { ScaleChaos } from './chaos.ts';
import type { Throughput } from './throughput.ts';

export interface ScaleResult {
  machine: MachineInfo;
  options: {
    seed: number;
    terminals: number;
    throughputS: number;
    rounds: number;
    payments: number;
    concurrency: number;
    loadS: number;
    settleS: number;
    killEveryMs: [number, number];
    leaseMs: number;
  };
  /** Alternating 1 and 3 instances, `rounds` times each. */
  rounds: (Throughput & { calls: CallStats })[];
  chaos: ScaleChaos;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

function invariants(v: Verdict): (string | number)[][] {
  return [
    ['lost', v.lost.length],
    ['double charges', v.doubleCharges.length + v.duplicateTransactions.length],
    ['books ≠ provider', v.booksMismatch.length + v.phantom.length + v.refundsExceed.length + v.wrongAmount.length],
    ['unresolved', v.unresolved.length],
  ];
}

export function printScale(r: ScaleResult): void {
  const c = r.chaos;
  console.log(`\nscale (seed ${r.options.seed}), ${describeMachine(r.machine)}`);
  for (const t of r.rounds)
    console.log(
      `  ${t.instances} instance(s): ${f1(t.perSecond)} payments/s (${t.paid} in ${f1(t.seconds)} s, ${t.terminals} terminals), p50 ${Math.round(t.p50Ms)} ms p95 ${Math.round(t.p95Ms)} ms, provider requests/payment ${f2(t.calls.perPayment)}, duplicates ${t.calls.duplicates}`,
    );
  console.log(
    `  chaos, 3 instances: ${c.sales} sales, ${c.verdict.payments} payments, ${c.refundsAndVoids} refunds/voids, ${c.kills} SIGKILLs; last sale ended ${f1(c.salesAfterKillsMs / 1000)} s after the last kill, books agreed ${f1(c.convergeMs / 1000)} s later`,
  );
  for (const [k, v] of invariants(c.verdict)) console.log(`    ${k}: ${v}`);
  console.log(
    `    provider requests/payment ${f2(c.calls.perPayment)} (max ${c.calls.maxPerPayment}); duplicate requests ${c.calls.duplicates} on ${c.calls.paymentsWithDuplicates} payments`,
  );
  for (const line of [...c.verdict.unresolved, ...c.verdict.lost, ...c.verdict.doubleCharges, ...c.verdict.booksMismatch].slice(0, 20))
    console.log(`    ! ${line}`);
}

export function scaleSection(r: ScaleResult): string {
  const o = r.options;
  const c = r.chaos;
  return [
    '## Several proxies on one Postgres (bench/scale)',
    '',
    `\`npm run bench:scale\` (seed ${o.seed}; ${describeMachine(r.machine)}). One simulator process for the three providers (fresh per phase); proxies`,
    'as separate processes on one Postgres database (fresh per phase), every kiosk request to a random live instance',
    `(no sticky sessions); LEASE_MS ${o.leaseMs}. Phases 1 and 2 are the same load — ${o.terminals} terminals selling instantly-paid`,
    `Pockyt sales for ${o.throughputS} s — on one instance (the baseline, same run) and on three, alternating, ${o.rounds} rounds. Phase 3: ${o.payments} sales (all three`,
    `providers, refunds and voids by supervisors) at up to ${o.concurrency} at once over ${o.loadS} s, a random instance SIGKILLed and`,
    `restarted every ${o.killEveryMs[0] / 1000}–${o.killEveryMs[1] / 1000} s; then the books are compared with the providers' ledgers (bench/chaos/verify.ts).`,
    `"Duplicate requests": a provider request about a payment from another instance than the one before it, less than`,
    `${DUPLICATE_WITHIN_MS} ms after it.`,
    '',
    table(
      ['round', 'instances', 'payments/s', 'p50 / p95 ms', 'provider requests per payment', 'duplicate requests'],
      r.rounds.map((t, i) => [
        Math.floor(i / 2) + 1,
        t.instances,
        f1(t.perSecond),
        `${Math.round(t.p50Ms)} / ${Math.round(t.p95Ms)}`,
        f2(t.calls.perPayment),
        t.calls.duplicates,
      ]),
    ),
    '',
    `Chaos on three instances: ${c.sales} sales, ${c.verdict.payments} payments, ${c.refundsAndVoids} refunds and voids, ${c.kills} SIGKILLs (down ${c.downMs.length ? Math.round(c.downMs.reduce((a, b) => a + b, 0) / c.downMs.length) : 0} ms each on average); the last sale ended ${f1(c.salesAfterKillsMs / 1000)} s after the kills stopped and the books agreed with the ledgers ${f1(c.convergeMs / 1000)} s after that.`,
    '',
    'The three instances share this box with Postgres, the simulators and the load generator, so their payments/s say',
    'little about three boxes; what the rows show is that the work is split, not repeated: the same provider',
    'requests per payment with one instance or three.',
    '',
    table(
      ['invariant', 'count'],
      [
        ...invariants(c.verdict),
        ['provider requests per payment (max)', `${f2(c.calls.perPayment)} (${c.calls.maxPerPayment})`],
        ['duplicate requests (payments)', `${c.calls.duplicates} (${c.calls.paymentsWithDuplicates})`],
      ],
    ),
  ].join('\n');
}
