// The scale bench's chaos phase: sales (with supervisors' refunds and voids, bench/chaos/customer.ts) from many
// terminals, each request to a random live instance, while a random instance is SIGKILLed and restarted every
// few seconds. Then the kills stop, unanswered attempts are resumed with their keys, and the books (Postgres)
// are compared with the providers' ledgers until they agree or the settle time runs out (bench/chaos/verify.ts).
import type { PaymentMode, ProviderName } from '../../src/shared/payment.ts';
import { runSale, sendAttempt, type Sale } from '../chaos/customer.ts';
import { sleep, type ChaosContext, type Terminal } from '../chaos/kiosk-api.ts';
import { between, rng } from '../chaos/plan.ts';
import { readLedgers } from '../chaos/store.ts';
import { holds, verify, type Verdict } from '../chaos/verify.ts';
import { callStats, type CallStats } from './calls.ts';
import type { Cluster } from './cluster.ts';
import { readBooks } from './database.ts';

export interface ChaosOptions {
  seed: number;
  payments: number;
  concurrency: number;
  loadS: number;
  settleS: number;
  killEveryMs: [number, number];
  pin: string;
}

export interface ScaleChaos {
  sales: number;
  refundsAndVoids: number;
  kills: number;
  downMs: number[];
  /** From the last kill to the end of the last sale (kiosks still following payments, supervisors refunding). */
  salesAfterKillsMs: number;
  /** From the end of the last sale until the books agreed with the ledgers. */
  convergeMs: number;
  paymentsPerSecond: number;
  verdict: Verdict;
  calls: CallStats;
}

const PROVIDERS: ProviderName[] = ['pockyt', 'centrapay', 'payby'];

export async function runScaleChaos(
  o: ChaosOptions,
  cluster: Cluster,
  databaseUrl: string,
  controls: Record<ProviderName, string>,
  lanes: Record<ProviderName, Terminal>[],
): Promise<ScaleChaos> {
  const r = rng(o.seed);
  const t0 = Date.now();
  const chaosEnd = t0 + o.loadS * 1000;
  const base: ChaosContext = {
    proxyUrl: () => cluster.pick(r),
    terminals: lanes[0],
    controls,
    pin: o.pin,
    deadline: chaosEnd + o.settleS * 1000,
    noAnswer: 0,
  };
  const contexts = lanes.map((terminals) => ({ ...base, terminals }));
  const kills = (async () => {
    const k = rng(o.seed + 2);
    while (Date.now() < chaosEnd) {
      await sleep(between(k, o.killEveryMs[0], o.killEveryMs[1]));
      if (Date.now() >= chaosEnd) return;
      await cluster.killOne(k);
    }
  })();
  const sales: Sale[] = [];
  const running: Promise<void>[] = [];
  let open = 0;
  const spacing = (o.loadS * 1000 * 0.9) / o.payments;
  for (let i = 0; i < o.payments; i++) {
    await sleep(Math.max(0, t0 + i * spacing - Date.now()));
    while (open >= o.concurrency) await sleep(50);
    const provider = PROVIDERS[i % PROVIDERS.length];
    const mode: PaymentMode = r() < 0.3 ? 'mpm' : 'cpm';
    open++;
    running.push(
      runSale(contexts[i % contexts.length], provider, mode, rng(o.seed * 1000 + i), 500 + Math.floor(r() * 9500))
        .then((s) => {
          sales.push(s);
        })
        .finally(() => {
          open--;
        }),
    );
  }
  await kills;
  const tEnd = Date.now();
  await Promise.all(running);
  const sold = Date.now() - t0;
  const unanswered = sales.flatMap((s) => s.attempts).filter((a) => a.paymentId === null);
  await Promise.all(unanswered.map((a) => sendAttempt(contexts[0], a, Date.now() + 30_000)));
  const salesDone = Date.now();
  let verdict: Verdict;
  for (;;) {
    verdict = verify(await readBooks(databaseUrl), await readLedgers(controls));
    if (holds(verdict) || Date.now() - salesDone > o.settleS * 1000) break;
    await sleep(500);
  }
  const books = await readBooks(databaseUrl);
  return {
    sales: sales.length,
    refundsAndVoids: sales.reduce((n, s) => n + (s.staff?.steps.length ?? 0), 0),
    kills: cluster.kills,
    downMs: cluster.downMs,
    salesAfterKillsMs: salesDone - tEnd,
    convergeMs: Date.now() - salesDone,
    paymentsPerSecond: books.length / (sold / 1000),
    verdict,
    calls: callStats(books, cluster.sent()),
  };
}
