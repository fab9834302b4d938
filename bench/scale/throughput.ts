// Payments per second through a cluster: every terminal sells one instantly-paid Pockyt sale after another for
// a fixed time, each request to a random live instance (a resend with the same key after no answer). The same
// load runs against one instance and against three, on fresh databases, in the same bench run.
import { randomUUID } from 'node:crypto';
import { rng, testCode } from '../chaos/plan.ts';
import { quantile } from '../lib/stats.ts';
import type { Cluster } from './cluster.ts';

export interface Throughput {
  instances: number;
  terminals: number;
  seconds: number;
  paid: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
}

export async function measureThroughput(cluster: Cluster, tokens: string[], seconds: number, seed: number): Promise<Throughput> {
  const r = rng(seed);
  const until = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let paid = 0;
  const t0 = Date.now();
  await Promise.all(
    tokens.map(async (token) => {
      while (Date.now() < until) {
        const key = randomUUID();
        const body = {
          orderId: `scale-${randomUUID()}`,
          amount: { value: 1000, currency: 'USD' },
          mode: 'cpm',
          code: testCode(r, 'pockyt', 'instant'),
        };
        const started = Date.now();
        for (let tries = 0; tries < 20; tries++) {
          const res = await fetch(`${cluster.pick(r)}/api/payments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(15_000),
          }).catch(() => null);
          if (res && (res.status === 200 || res.status === 201)) {
            const view = (await res.json()) as { status: string };
            if (view.status === 'succeeded') paid++;
            break;
          }
          await res?.text();
          await new Promise((x) => setTimeout(x, 100));
        }
        latencies.push(Date.now() - started);
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  return {
    instances: cluster.slots.length,
    terminals: tokens.length,
    seconds: elapsed,
    paid,
    perSecond: paid / elapsed,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
  };
}
