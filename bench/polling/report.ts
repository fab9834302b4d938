// Console summary and the "Polling cost" section of BENCHMARKS.md for bench/polling/run.ts.
import { describeMachine, type MachineInfo } from '../lib/machine.ts';
import { table } from '../lib/markdown.ts';
import type { ProxyChildInfo } from '../lib/proxy-child.ts';
import { ms, summarise } from '../lib/stats.ts';
import type { ConfirmSample, IdleResult } from './measure.ts';

export interface PhaseResult {
  open: number;
  idle: IdleResult;
  confirm: ConfirmSample;
}

export interface PollingRun {
  machine: MachineInfo;
  open: number;
  idleS: number;
  settleS: number;
  createMs: number;
  healthzEveryMs: number;
  thinkMs: [number, number];
  kioskPollMs: number;
  confirmN: number;
  config: ProxyChildInfo['config'];
  phases: PhaseResult[];
}

const pct = (x: number) => `${x.toFixed(1)} %`;

function configText(c: ProxyChildInfo['config']): string {
  const p = c.poll;
  const rates = Object.entries(p.providers).map(([name, v]) => `POLL_RATE_${name.toUpperCase()}=${v.ratePerMinute}`);
  return [
    `POLL_INITIAL_MS=${p.initialMs}`,
    `POLL_MAX_MS=${p.maxMs}`,
    `POLL_IDLE_MS=${p.idleMs}`,
    `POLL_FAST_FOR_MS=${p.fastForMs}`,
    ...rates,
  ].join(', ');
}

function reading(run: PollingRun): string {
  const [base, open] = run.phases;
  if (!base || !open) return '';
  const h = (r: PhaseResult) => summarise(r.idle.healthz);
  const sse = (r: PhaseResult) => summarise(r.confirm.sse);
  return [
    `With ${open.open} open payments nobody watches, the proxy used ${pct(open.idle.cpuPct)} of a core (baseline ${pct(base.idle.cpuPct)}) and sent`,
    `${open.idle.providerRps.toFixed(1)} requests/s to the provider: the account's budget, not one query per payment per second. \`/healthz\``,
    `answered in ${ms(h(open).p50)} ms at the median and ${ms(h(open).p95)} ms at p95 (baseline ${ms(h(base).p50)} / ${ms(h(base).p95)} ms). A payment a kiosk`,
    `watches still reached it over SSE in ${ms(sse(open).p95)} ms at p95 (baseline ${ms(sse(base).p95)} ms): its checks run at the fast cadence`,
    'and go before the backlog in the budget. Without its stream the kiosk is bound by its own GET interval.',
  ].join('\n');
}

function idleTable(run: PollingRun): string {
  return table(
    ['open payments', 'proxy CPU (% of one core)', 'provider requests/s', '/healthz p50 ms', 'p95 ms', 'max ms', 'samples'],
    run.phases.map((p) => {
      const h = summarise(p.idle.healthz);
      return [
        p.open,
        pct(p.idle.cpuPct),
        p.idle.providerRps.toFixed(1),
        ms(h.p50),
        ms(h.p95),
        ms(h.max),
        `${h.n}${p.idle.healthzFailed ? ` (+${p.idle.healthzFailed} failed)` : ''}`,
      ];
    }),
  );
}

function confirmTable(run: PollingRun): string {
  const rows: (string | number)[][] = [];
  for (const p of run.phases) {
    const s = summarise(p.confirm.sse);
    const g = summarise(p.confirm.poll);
    rows.push([p.open, 'SSE push', `${s.n}/${run.confirmN}`, ms(s.p50), ms(s.p95), ms(s.max)]);
    rows.push(['', `polling GET every ${run.kioskPollMs / 1000} s`, `${g.n}/${run.confirmN}`, ms(g.p50), ms(g.p95), ms(g.max)]);
  }
  return table(['open payments', 'kiosk learns via', 'seen', 'p50 ms', 'p95 ms', 'max ms'], rows);
}

export function printSummary(run: PollingRun): void {
  console.log(`\nPolling cost — ${describeMachine(run.machine)}`);
  console.log(`poller: ${configText(run.config)}`);
  console.log(
    `created ${run.open} open payments in ${(run.createMs / 1000).toFixed(1)} s; settle ${run.settleS} s; idle windows ${run.idleS} s`,
  );
  console.log(idleTable(run));
  console.log(confirmTable(run));
}

export function section(run: PollingRun): string {
  return [
    '## Polling cost (open payments nobody watches)',
    '',
    `Measured ${run.machine.date} with \`npm run bench:polling\` (\`bench/polling/run.ts\`) on ${describeMachine(run.machine)}.`,
    'The three provider simulators run standalone in their own process with notifications off, so the proxy learns of a',
    'payment only by asking; the proxy runs in another process (non-demo, pointed at the simulators, SQLite file,',
    `\`LOG_LEVEL=silent\`) with its poller defaults (${configText(run.config)}). One proxy, two phases: first with 0 open`,
    `payments (the baseline), then after one terminal created ${run.open} Pockyt payments that stay pending (wallet-issued`,
    `codes nobody approves; created in ${(run.createMs / 1000).toFixed(1)} s, then ${run.settleS} s to settle). Nobody watches those: no SSE stream`,
    'of their terminal is open and nobody reads them. In each phase an idle window of',
    `${run.idleS} s measures the proxy's CPU (its own \`process.cpuUsage()\`), the requests it sent to the provider (a counting`,
    `wrapper around its \`fetch\`) and \`GET /healthz\` latency (one request every ${run.healthzEveryMs} ms). Then a second terminal with its`,
    `SSE stream open takes ${run.confirmN} payments one after another; the customer approves ${run.thinkMs[0] / 1000}–${run.thinkMs[1] / 1000} s after the charge (simulator`,
    'control route), and the clock runs from that approval until the kiosk holds `succeeded` (the SSE frame, or a',
    `\`GET /api/payments/:id\` every ${run.kioskPollMs / 1000} s as the kiosk does without its stream).`,
    '',
    idleTable(run),
    '',
    confirmTable(run),
    '',
    reading(run),
  ].join('\n');
}
