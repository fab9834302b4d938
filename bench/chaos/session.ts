// One chaos run for one seed: the three simulators (own process) and the proxy (own process, SIGKILLed and
// restarted every few seconds on the same SQLite file), kiosks selling, customers acting, supervisors refunding
// and voiding, faults at the simulators. Then faults and kills stop, every unanswered attempt is resumed with
// its journaled key, and the books are compared with the ledgers until they agree or the settle deadline
// passes (first check), and once more `recheckS` later (second check) to catch payments that drift.
// Bounded: every loop stops at a deadline, and a watchdog ends the run if something hangs anyway.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentMode, ProviderName } from '../../src/shared/payment.ts';
import { startChild, type Child } from '../lib/child.ts';
import { LOAD_GENERATOR_LIMITS } from '../lib/limits.ts';
import type { MachineInfo } from '../lib/machine.ts';
import type { SimsChildInfo } from '../lib/sims-child.ts';
import { freePort, providerEnv } from '../lib/sims.ts';
import { clearFaults, injectFaults, killLoop, ProxyProcess } from './chaos.ts';
import { runSale, sendAttempt, type Sale } from './customer.ts';
import { sleep, type ChaosContext, type Terminal } from './kiosk-api.ts';
import { rng, STORE } from './plan.ts';
import type { ChaosResult } from './report.ts';
import { readLedgers, readStore } from './store.ts';
import { drifted, holds, verify, type Verdict } from './verify.ts';

export interface RunOptions {
  seed: number;
  payments: number;
  concurrency: number;
  killEveryMs: [number, number];
  faultEveryMs: number;
  loadS: number;
  /** After the chaos: how long kiosks may keep going and the books may take to agree with the ledgers. */
  settleS: number;
  /** The second check, this long after the first. */
  recheckS: number;
  pin: string;
}

const PROVIDERS: ProviderName[] = ['pockyt', 'centrapay', 'payby'];
// Proxy timings: short customer windows and request timeouts so a run fits in a minute or two; the fault
// delays (≤ MAX_FAULT_DELAY_MS) straddle the request timeouts, so some calls time out after the provider
// committed. The not-found grace must exceed timeout + the longest stall.
const MAX_FAULT_DELAY_MS = 2500;
export const PROXY_TIMINGS = {
  POLL_INITIAL_MS: '500',
  POLL_MAX_MS: '2000',
  POLL_IDLE_MS: '2000',
  POLL_RATE_CENTRAPAY: '100000',
  RECONCILE_NOT_FOUND_GRACE_MS: '8000',
  POCKYT_TIMEOUT_MS: '2000',
  POCKYT_PREPAY_TIMEOUT_MS: '2000',
  POCKYT_CONFIRM_WINDOW_MS: '6000',
  CENTRAPAY_TIMEOUT_MS: '2000',
  CENTRAPAY_CONFIRM_WINDOW_MS: '8000',
  PAYBY_TIMEOUT_MS: '2000',
  PAYBY_PLACE_ORDER_TIMEOUT_MS: '2000',
  PAYBY_CONFIRM_WINDOW_MS: '6000',
};

/** The longest a run may take before the watchdog ends it: chaos + settle + recheck + start-up and tail. */
export const runLimitMs = (o: RunOptions) => (o.loadS + o.settleS + o.recheckS + 65) * 1000;

export async function runChaos(o: RunOptions, machine: MachineInfo): Promise<ChaosResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-chaos-'));
  const held: { sims?: Child<SimsChildInfo>; proxy?: ProxyProcess } = {};
  let watchdog: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<never>((_, reject) => {
      watchdog = setTimeout(() => reject(new Error(`seed ${o.seed}: run did not finish within ${runLimitMs(o) / 1000} s`)), runLimitMs(o));
    });
    return await Promise.race([run(o, machine, join(dir, 'chaos.db'), held), timedOut]);
  } finally {
    clearTimeout(watchdog);
    await held.proxy?.stop().catch(() => {});
    await held.sims?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(
  o: RunOptions,
  machine: MachineInfo,
  dbFile: string,
  held: { sims?: Child<SimsChildInfo>; proxy?: ProxyProcess },
): Promise<ChaosResult> {
  const port = await freePort();
  const proxyUrl = `http://127.0.0.1:${port}`;
  // Centrapay's real limit is 200 requests/min/account; 60 sales with recovery polling would be throttled,
  // which is a different test (tests/server/centrapay-api.test.ts). Here it is raised so faults, not 429s, bite.
  const sims = (held.sims = await startChild<SimsChildInfo>('./sims-child.ts', {
    BENCH_PROXY_URL: proxyUrl,
    BENCH_SIM_PENDING_MS: '500',
    BENCH_SIM_CENTRAPAY_RATE_LIMIT: '100000',
  }));
  const ep = sims.info.endpoints;
  const controls = { pockyt: ep.pockyt!.control, centrapay: ep.centrapay!.control, payby: ep.payby!.control };
  const proxy = (held.proxy = new ProxyProcess({
    ...providerEnv(ep),
    ...PROXY_TIMINGS,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: proxyUrl,
    STORE_ID: 'demo-us',
    SUPERVISOR_PIN: o.pin,
    ...LOAD_GENERATOR_LIMITS,
    DATABASE_URL: `sqlite:${dbFile}`,
    LOG_LEVEL: process.env.CHAOS_PROXY_LOG_LEVEL ?? 'silent',
    DIST_DIR: join(dbFile, '..', 'no-dist'),
    BENCH_PAIR_STORES: PROVIDERS.map((p) => STORE[p].id).join(','),
  }));
  const first = await proxy.start();
  const terminals = {} as Record<ProviderName, Terminal>;
  for (const p of PROVIDERS) {
    const res = await fetch(`${proxyUrl}/api/terminals/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: first.info.pairingByStore[STORE[p].id] }),
    });
    if (res.status !== 201) throw new Error(`pairing ${p}: HTTP ${res.status}`);
    terminals[p] = (await res.json()) as Terminal;
  }

  // Chaos phase (fixed length): sales arrive evenly over its first 90% (at most `concurrency` open at once),
  // while faults and kills run until its end. Sales and staff actions keep going after it (second attempts,
  // windows closing, refunds): the kiosks' deadline is the end of the settle window.
  const t0 = Date.now();
  const chaosEnd = t0 + o.loadS * 1000;
  const ctx: ChaosContext = {
    proxyUrl: () => proxyUrl,
    terminals,
    controls,
    pin: o.pin,
    deadline: chaosEnd + o.settleS * 1000,
    noAnswer: 0,
  };
  const r = rng(o.seed);
  const chaosOver = () => Date.now() >= chaosEnd;
  const faults = injectFaults(controls, rng(o.seed + 1), o.faultEveryMs, MAX_FAULT_DELAY_MS, chaosOver);
  const kills = killLoop(proxy, rng(o.seed + 2), o.killEveryMs, chaosOver);
  const sales: Sale[] = [];
  const running: Promise<void>[] = [];
  let open = 0;
  let peak = 0;
  const spacing = (o.loadS * 1000 * 0.9) / o.payments;
  for (let i = 0; i < o.payments; i++) {
    await sleep(Math.max(0, t0 + i * spacing - Date.now()));
    while (open >= o.concurrency) await sleep(50);
    const provider = PROVIDERS[i % PROVIDERS.length];
    const mode: PaymentMode = r() < 0.3 ? 'mpm' : 'cpm';
    const value = 500 + Math.floor(r() * 9500);
    open++;
    peak = Math.max(peak, open);
    running.push(
      runSale(ctx, provider, mode, rng(o.seed * 1000 + i), value)
        .then((sale) => {
          sales.push(sale);
        })
        .finally(() => {
          open--;
        }),
    );
  }
  const faultStats = await faults;
  await kills;
  const loadMs = Date.now() - t0;

  // Recovery: no more faults or kills. Sales still in progress finish; the kiosks resume every attempt the
  // proxy never answered (same key); then wait until the store and the ledgers agree.
  await clearFaults(controls);
  const tEnd = Date.now();
  await Promise.all(running);
  const salesDoneMs = Date.now() - tEnd;
  const lateSales = sales.filter((s) => (s.endedAt ?? 0) - tEnd > LATE_SALE_MS).map((s) => describeSale(s, tEnd));
  const unanswered = sales.flatMap((s) => s.attempts).filter((a) => a.paymentId === null);
  const resumed = await Promise.all(unanswered.map((a) => sendAttempt(ctx, a, Math.max(ctx.deadline, Date.now() + 30_000))));
  if (resumed.some((x) => x === null))
    throw new Error(`${resumed.filter((x) => x === null).length} attempts got no answer after the chaos stopped`);
  const check = async () => verify(readStore(dbFile), await readLedgers(controls));
  let firstCheck: Verdict;
  // What still disagreed at the last check before the books agreed: why the first check took as long as it did.
  let lastToAgree: string[] = [];
  for (;;) {
    firstCheck = await check();
    if (holds(firstCheck) || Date.now() - tEnd > o.settleS * 1000) break;
    lastToAgree = disagreements(firstCheck);
    await sleep(250);
  }
  const convergeMs = Date.now() - tEnd;
  await sleep(o.recheckS * 1000);
  const secondCheck = await check();
  const attempts = sales.flatMap((s) => s.attempts);
  return {
    machine,
    seed: o.seed,
    payments: o.payments,
    sales: sales.length,
    concurrency: o.concurrency,
    peakConcurrent: peak,
    killEveryMs: o.killEveryMs,
    faultEveryMs: o.faultEveryMs,
    loadS: o.loadS,
    loadMs,
    salesDoneMs,
    lateSales,
    convergeMs,
    converged: holds(firstCheck),
    lastToAgree,
    recheckS: o.recheckS,
    kills: proxy.kills,
    downMs: proxy.downMs,
    faults: faultStats,
    attempts: attempts.length,
    resent: attempts.filter((a) => a.resends > 0).length,
    noAnswer: ctx.noAnswer,
    resumedAfterLoad: unanswered.length,
    cancelRaces: attempts.filter((a) => a.cancelRace).length,
    staff: sales.map((s) => s.staff).filter((s) => s !== null),
    firstCheck,
    verdict: secondCheck,
    drift: drifted(firstCheck, secondCheck),
    traces: traces(readStore(dbFile), await readLedgers(controls), secondCheck, sales),
    timings: PROXY_TIMINGS,
  };
}

/** A sale still going this long after the chaos stopped is named in the report, with what kept it going. */
const LATE_SALE_MS = 10_000;

function describeSale(s: Sale, tEnd: number): string {
  const at = (t?: number) => (t === undefined ? '?' : `${((t - tEnd) / 1000).toFixed(1)} s`);
  const attempts = s.attempts.map(
    (a) =>
      `${a.mode}/${a.scenario}${a.cancelRace ? '+cancel race' : ''} ${a.paymentId ?? 'no payment'} ${a.lastStatus ?? '?'} (final at ${at(a.finalAt)}, ${a.resends} resends)`,
  );
  const staff =
    s.staff?.steps.map(
      (x) =>
        `${x.action}${x.amount ? ` ${x.amount}` : ''} → ${x.outcome} at ${at(x.endedAt)} (${x.resends} resends${x.resentOn ? `: ${x.resentOn}` : ''})`,
    ) ?? [];
  return `${s.provider} sale ended ${at(s.endedAt)} after the chaos: ${attempts.join('; ')}${staff.length ? `; supervisor ${s.staff!.plan}: ${staff.join('; ')}` : ''}`;
}

function disagreements(v: Verdict): string[] {
  return [
    ...v.lost,
    ...v.phantom,
    ...v.doubleCharges,
    ...v.duplicateTransactions,
    ...v.booksMismatch,
    ...v.unresolved,
    ...v.refundsExceed,
    ...v.wrongAmount,
  ];
}

/** For every payment a finding names: what the bench did to it, our event rows, refund rows and the ledger. */
function traces(rows: ReturnType<typeof readStore>, ledger: Awaited<ReturnType<typeof readLedgers>>, v: Verdict, sales: Sale[]): string[] {
  return v.flagged.map((id) => {
    const p = rows.find((x) => x.id === id)!;
    const sale = sales.find((s) => s.attempts.some((a) => a.paymentId === id));
    const attempt = sale?.attempts.find((a) => a.paymentId === id);
    const staff =
      sale?.staff?.steps
        .filter((s) => s.paymentId === id)
        .map((s) => `${s.action}${s.amount ? ` ${s.amount}` : ''} → ${s.outcome}${s.resends ? ` (${s.resends} resends)` : ''}`) ?? [];
    const entries = ledger.filter((e) => e.provider === p.provider && e.reference === p.reference);
    return [
      `${p.provider} ${p.id} ${p.status} amount ${p.amount} refunded ${p.refunded}; bench: ${attempt?.mode ?? '?'}/${attempt?.scenario ?? '?'}${attempt?.cancelRace ? ' + cancel racing approval' : ''}; supervisor: ${sale?.staff?.plan ?? '-'} ${staff.join('; ')}`,
      ...(p.trail ?? []).map((t) => `    event ${t}`),
      ...p.refunds.map((x) => `    refund ${x.id} ${x.amount} ${x.status}`),
      ...entries.map(
        (e) => `    provider ${e.providerRef} ${e.status} captured=${e.captured} amount ${e.amountMinor} refunded ${e.refundedMinor}`,
      ),
    ].join('\n');
  });
}
