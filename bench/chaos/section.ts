// The "Chaos" section of BENCHMARKS.md: what was run (seeds, machine, settings), one column per seed and the
// total, and every finding by name — failures are recorded as they are, not only clean runs.
import { describeMachine } from '../lib/machine.ts';
import { table } from '../lib/markdown.ts';
import { passed, resultRows, staffOutcomes, type ChaosResult, type SeedOutcome } from './report.ts';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function section(outcomes: SeedOutcome[]): string {
  const results = outcomes.filter((o): o is ChaosResult => 'verdict' in o);
  const r = results[0];
  const seeds = outcomes.map((o) => o.seed);
  const faultKinds = new Map<string, number>();
  for (const x of results) for (const [k, n] of Object.entries(x.faults.byKind)) faultKinds.set(k, (faultKinds.get(k) ?? 0) + n);
  const loads = results.map((x) => x.loadMs).sort((a, b) => a - b);
  const down = results.flatMap((x) => x.downMs).sort((a, b) => a - b);
  const findings = results.flatMap((x) =>
    [
      ...x.verdict.lost.map((f) => `lost: ${f}`),
      ...x.verdict.phantom.map((f) => `phantom: ${f}`),
      ...x.verdict.doubleCharges.map((f) => `double charge: ${f}`),
      ...x.verdict.duplicateTransactions.map((f) => `two transactions: ${f}`),
      ...x.verdict.booksMismatch.map((f) => `books ≠ provider: ${f}`),
      ...x.verdict.unresolved.map((f) => `unresolved: ${f}`),
      ...x.verdict.refundsExceed.map((f) => `refunds > capture: ${f}`),
      ...x.verdict.wrongAmount.map((f) => `amount: ${f}`),
    ].map((f) => `- seed ${x.seed}: ${f}`),
  );
  const late = results.flatMap((x) => x.lateSales.map((l) => `- seed ${x.seed}: ${l}`));
  const noVerdict = outcomes.filter((o) => !('verdict' in o)).map((o) => `- seed ${o.seed}: no verdict (${'error' in o ? o.error : ''})`);
  const ok = outcomes.every(passed);
  return [
    '## Chaos: money under kills, faults and staff races',
    '',
    `Measured ${r.machine.date} with \`npm run bench:chaos -- --seeds ${seeds.length} --seed ${seeds[0]}\` (\`bench/chaos/\`, seeds ${seeds.join(', ')}) on ${describeMachine(r.machine)}.`,
    `Each seed is its own run (fresh simulators, proxy and database): ${r.payments} sales arriving evenly over the first 90% of a chaos phase of ${s(loads[0])}${loads.length > 1 ? `–${s(loads.at(-1)!)}` : ''} (${r.loadS} s planned; the last kill's restart and a busy machine stretch it)`,
    `(at most ${r.concurrency} in progress), round-robin over the Pockyt, Centrapay and PayBy simulators (standalone, so they keep their`,
    'ledgers and keep retrying notifications while the proxy is down); ~30% merchant QR, the rest customer codes: instant, delayed',
    'approval, decline, a wallet code the customer approves, declines or ignores, a QR paid or walked away from. A declined/expired',
    'attempt is followed by a second one (new Idempotency-Key) on the same order; a cashier cancels a walked-away QR (and half the',
    'ignored wallet charges) after 1.5–4 s, and in a quarter of the approvals presses Cancel at the moment the customer approves.',
    'Once a sale is paid, a supervisor (SUPERVISOR_PIN in X-Staff-Pin) does one of: nothing (3/11), a partial refund (2/11), a',
    'partial refund then the rest, a full refund, a void, a void and a partial refund sent together (2/11), or two 60% refunds sent',
    'together; refunds keep their Idempotency-Key across resends.',
    `During the chaos phase the simulators took a random one-shot fault every ~${r.faultEveryMs} ms (${[...faultKinds]
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    'over all seeds; stalls of 0.1–2.5 s against 2 s request timeouts) on the charging calls, the query/cancel calls recovery uses',
    `and the void/refund calls, and the proxy was SIGKILLed and restarted on the same SQLite file every ${r.killEveryMs[0] / 1000}–${r.killEveryMs[1] / 1000} s`,
    `(${down.length ? `${down[0]}–${down.at(-1)} ms` : '–'} down each). Then faults and kills stop; the proxy's books (its SQLite file: payments, refund`,
    "rows) are compared payment by payment with the simulators' ledgers (`GET /control/ledger`: status, captured, refunded sum) until",
    `they agree or the settle deadline passes (first check), and again ${r.recheckS} s later (second check, the one judged below).`,
    `Proxy settings: ${Object.entries(r.timings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`,
    '',
    table(['', ...seeds.map((x) => `seed ${x}`), ...(outcomes.length > 1 ? ['total'] : [])], resultRows(outcomes)),
    '',
    `Staff answers over all seeds: ${staffOutcomes(results.flatMap((x) => x.staff))}.`,
    '',
    ...(late.length > 0
      ? ['Sales still going more than 10 s after the chaos stopped (what kept them going; times from the end of the chaos):', ...late, '']
      : []),
    ok
      ? 'Every invariant held for every seed.'
      : "Findings at the second check (the console prints a trace for each: what the bench did, our event and refund rows, the provider's record):",
    ...findings,
    ...noVerdict,
    ...(findings.length > 0 ? ['', 'What the bench did to each payment named above (full traces with event rows on the console):'] : []),
    ...results.flatMap((x) => x.traces.map((t) => `- seed ${x.seed}: ${t.split('\n')[0]}`)),
  ].join('\n');
}
