// The polling bench's measurements against one running proxy: an idle window (proxy CPU from its own
// process.cpuUsage(), provider requests it sent, /healthz latency sampled at a steady pace), a batch of open
// payments created through the API, and confirmation latency for payments a kiosk is watching.
import { performance } from 'node:perf_hooks';
import type { Child } from '../lib/child.ts';
import { BenchKiosk, simControl } from '../lib/kiosk.ts';
import { TimedSse } from '../lib/sse.ts';
import { onePayment } from '../confirm/measure.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface IdleResult {
  seconds: number;
  /** Proxy CPU over the window, % of one core. */
  cpuPct: number;
  /** Requests the proxy sent to the provider (simulator) per second. */
  providerRps: number;
  healthz: number[];
  healthzFailed: number;
}

/** `providerOrigin`: where the provider's API lives (the fetch counter counts per origin). */
export async function idleWindow(
  proxy: Child<unknown>,
  baseUrl: string,
  providerOrigin: string,
  seconds: number,
  healthzEveryMs: number,
): Promise<IdleResult> {
  const fetches = async () => (await proxy.ask<Record<string, number>>('fetches'))[providerOrigin] ?? 0;
  const f0 = await fetches();
  const c0 = await proxy.cpuMs();
  const t0 = performance.now();
  const healthz: number[] = [];
  let healthzFailed = 0;
  const until = t0 + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
      await res.text();
      if (res.ok) healthz.push(performance.now() - started);
      else healthzFailed++;
    } catch {
      healthzFailed++;
    }
    await sleep(Math.max(0, healthzEveryMs - (performance.now() - started)));
  }
  const wallMs = performance.now() - t0;
  const cpu = (await proxy.cpuMs()) - c0;
  const f1 = await fetches();
  return { seconds: wallMs / 1000, cpuPct: (cpu / wallMs) * 100, providerRps: ((f1 - f0) / wallMs) * 1000, healthz, healthzFailed };
}

/** Creates `n` customer-presented payments that stay pending (wallet-issued codes nobody approves), `lanes`
 *  at a time. Returns the wall time it took. */
export async function createOpenPayments(kiosk: BenchKiosk, sim: string, n: number, lanes: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < n) {
        next++;
        const code = await simControl<{ code: string }>(sim, 'POST', '/control/codes', { vendor: 'alipay' });
        if (code.status !== 200) throw new Error(`wallet code: ${code.status} ${JSON.stringify(code.body)}`);
        const paid = await kiosk.pay(code.body.code);
        if (paid.status !== 201 || paid.body.status !== 'pending')
          throw new Error(`payment should be pending: ${paid.status} ${JSON.stringify(paid.body)}`);
      }
    }),
  );
  return performance.now() - t0;
}

export interface ConfirmSample {
  sse: number[];
  poll: number[];
  missed: number;
}

/** `n` payments one after another on a kiosk with its SSE stream open (so the proxy knows it is watched):
 *  the customer approves after `thinkMs`, and we time when the kiosk learns it (see bench/confirm). */
export async function confirmWatched(
  baseUrl: string,
  token: string,
  sim: string,
  n: number,
  thinkMs: [number, number],
  kioskPollMs: number,
): Promise<ConfirmSample> {
  const kiosk = new BenchKiosk(baseUrl, token);
  const sse = new TimedSse();
  await sse.open(baseUrl, token);
  const out: ConfirmSample = { sse: [], poll: [], missed: 0 };
  try {
    for (let i = 0; i < n; i++) {
      const r = await onePayment(kiosk, sse, sim, { thinkMs, kioskPollMs, giveUpMs: 15_000 });
      if (r.sse === null) out.missed++;
      else out.sse.push(r.sse);
      if (r.poll !== null) out.poll.push(r.poll);
    }
  } finally {
    await sse.close();
  }
  return out;
}
