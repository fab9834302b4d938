// Console summary and the "Payment confirmation" section of BENCHMARKS.md for bench/confirm/run.ts.
import { describeMachine, type MachineInfo } from '../lib/machine.ts';
import { table } from '../lib/markdown.ts';
import { ms, ratio, summarise } from '../lib/stats.ts';
import type { ConfirmResult } from './measure.ts';

export interface ConfirmRun {
  machine: MachineInfo;
  n: number;
  lanes: number;
  thinkMs: [number, number];
  kioskPollMs: number;
  results: ConfirmResult[];
}

function configText(r: ConfirmResult): string {
  const c = r.config;
  const ipn =
    c.ipnScheduleMs === 'default'
      ? 'IPN on (default schedule, 1st attempt at once)'
      : c.ipnScheduleMs.length === 0
        ? 'IPN off'
        : `IPN ${c.ipnScheduleMs.join(',')}`;
  return `POLL_INITIAL_MS=${c.pollInitialMs}, POLL_MAX_MS=${c.pollMaxMs}, ${ipn}`;
}

function resultTable(run: ConfirmRun): string {
  const rows: (string | number)[][] = [];
  for (const r of run.results) {
    const s = summarise(r.sse);
    const p = summarise(r.poll);
    rows.push([r.label, configText(r), `SSE push`, `${s.n}/${run.n}`, ms(s.p50), ms(s.p95), ms(s.max)]);
    rows.push(['', '', `polling GET every ${run.kioskPollMs / 1000} s`, `${p.n}/${run.n}`, ms(p.p50), ms(p.p95), ms(p.max)]);
    rows.push(['', '', '**polling ÷ SSE**', '', `**${ratio(p.p50, s.p50)}**`, ratio(p.p95, s.p95), ratio(p.max, s.max)]);
  }
  return table(['server setting', 'config', 'kiosk learns via', 'seen', 'p50 ms', 'p95 ms', 'max ms'], rows);
}

function reading(run: ConfirmRun): string {
  const [def, tight, ipn] = run.results.map((r) => ({ s: summarise(r.sse), p: summarise(r.poll), r }));
  const parts = [
    `With the server's poller at its defaults and no IPN, push is only as fast as the poller: the proxy learns of the`,
    `approval at its next tran-query (1 s after the charge, backing off ×1.5 to 5 s, jittered), so the later the customer`,
    `approves, the longer push waits. With approvals ${run.thinkMs[0] / 1000}–${run.thinkMs[1] / 1000} s after the charge, SSE took ${ms(def.s.p50)} ms at the median`,
    `(p95 ${ms(def.s.p95)} ms, max ${ms(def.s.max)} ms) and polling, which can only see what the server already knows, added its own`,
    `0–${run.kioskPollMs / 1000} s phase on top (${ms(def.p.p50)} ms median, ${ratio(def.p.p50, def.s.p50)}): here the kiosk's transport is not the bottleneck.`,
  ];
  if (tight) {
    parts.push(
      `Tightening the poller to 100–250 ms brings SSE down to ${ms(tight.s.p50)} ms median (p95 ${ms(tight.s.p95)} ms), at the cost of`,
      `a provider query every ≤250 ms per open payment, while polling stays bound by its interval (${ms(tight.p.p50)} ms median, ${ratio(tight.p.p50, tight.s.p50)} of SSE).`,
    );
  }
  if (ipn) {
    parts.push(
      `With the provider's notification (the demo's default), the proxy hears of the payment at once whatever its poller does:`,
      `SSE ${ms(ipn.s.p50)} ms median (p95 ${ms(ipn.s.p95)} ms) against polling's ${ms(ipn.p.p50)} ms (${ratio(ipn.p.p50, ipn.s.p50)}).`,
    );
  }
  const fast = [tight, ipn].filter((x) => x !== undefined).map((x) => x.s.p95);
  parts.push(
    "Polling's latency is set by its interval (about half of it on average, all of it at worst, plus whatever the server itself",
    'was late); push removes that term',
    fast.length
      ? `— with IPN or a tight poller, 95% of confirmations reached the kiosk within ${ms(Math.max(...fast))} ms of the wallet confirming.`
      : '.',
  );
  return parts.join(' ');
}

export function section(run: ConfirmRun): string {
  const m = run.machine;
  const missed = run.results.flatMap((r) =>
    r.missed.sse || r.missed.poll ? [`${r.label}: SSE ${r.missed.sse}, polling ${r.missed.poll} not seen within 20 s`] : [],
  );
  return [
    '## Payment confirmation (push vs polling)',
    '',
    `Measured ${m.date} with \`npm run bench:confirm\` (\`bench/confirm/run.ts\`) on ${describeMachine(m)}.`,
    'The proxy runs in a child process in demo mode, as `npm start` runs it (Pockyt simulator in-process, SQLite file in a',
    `temp dir, \`LOG_LEVEL=silent\`), a fresh one per configuration. ${run.n} payments per configuration on ${run.lanes} kiosks at`,
    'once (each its own paired terminal with its own `GET /api/events` stream): a wallet-issued Alipay code is charged',
    `(\`pending\`), the customer "thinks" ${run.thinkMs[0] / 1000}–${run.thinkMs[1] / 1000} s (uniform), then approves through`,
    '`POST /sim/pockyt/control/transactions/:no/approve`. The clock starts when that call returns (the provider has marked the',
    "payment paid) and stops when the kiosk holds `succeeded`: the SSE frame's bytes arrive, or a `GET /api/payments/:id`",
    `answer says so. The polling observer runs alongside for the same payment, as the kiosk's \`PaymentWatch\` does with SSE down:`,
    `first GET ${run.kioskPollMs / 1000} s after the payment went pending, then ${run.kioskPollMs / 1000} s after each answer.`,
    '',
    resultTable(run),
    '',
    ...(missed.length ? [`Not seen: ${missed.join('; ')}.`, ''] : []),
    reading(run),
  ].join('\n');
}

export function printSummary(run: ConfirmRun): void {
  console.log(`\n${resultTable(run)}\n`);
}
