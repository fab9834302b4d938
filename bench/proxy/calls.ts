// One CPM payment, two ways: through the proxy (POST /api/payments) and straight at the simulator with
// the same two signed Pockyt calls the proxy's adapter makes (add, then prepay). Each returns its wall time
// and throws unless the payment really succeeded — a bench that times errors measures nothing.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { rawPockytCall } from '../../sandbox/pockyt/client.ts';
import { SUCCESS_CODE } from '../../server/providers/pockyt/mapping.ts';
import { alipayTestCode, type BenchKiosk } from '../lib/kiosk.ts';
import type { SimChildInfo } from '../lib/sim-child.ts';

export type PaymentOp = () => Promise<number>;

export function proxyPayment(kiosk: BenchKiosk): PaymentOp {
  return async () => {
    const code = alipayTestCode('0001');
    const t0 = performance.now();
    const r = await kiosk.pay(code);
    const t = performance.now() - t0;
    if (r.status !== 201 || r.body.status !== 'succeeded') throw new Error(`proxy payment: ${r.status} ${JSON.stringify(r.body)}`);
    return t;
  };
}

/** Mirrors the adapter's chargeCode: same paths, fields, timeout minutes and a Pockyt-Request-ID per call. */
export function directPayment(sim: SimChildInfo, ipnUrl: string): PaymentOp {
  const { merchantNo, storeNo, token } = sim.credentials;
  return async () => {
    const code = alipayTestCode('0001');
    const reference = randomUUID().replace(/-/g, '');
    const t0 = performance.now();
    const add = await rawPockytCall(
      sim.baseUrl,
      '/app-instore/v3/add',
      {
        merchantNo,
        storeNo,
        amount: '12.50',
        currency: 'USD',
        settleCurrency: 'USD',
        reference,
        timeout: '3',
        ipnUrl,
      },
      { token, requestId: randomUUID(), timeoutMs: 30_000 },
    );
    const transactionNo = add.body.result?.transactionNo;
    if (add.body.ret_code !== SUCCESS_CODE || typeof transactionNo !== 'string') throw new Error(`direct add: ${add.text}`);
    const pre = await rawPockytCall(
      sim.baseUrl,
      '/app-instore/v3/prepay',
      {
        merchantNo,
        storeNo,
        transactionNo,
        paymentBarcode: code,
        vendor: 'alipay',
      },
      { token, requestId: randomUUID(), timeoutMs: 30_000 },
    );
    const t = performance.now() - t0;
    if (pre.body.ret_code !== SUCCESS_CODE || pre.body.result?.transactionStatus !== 'success')
      throw new Error(`direct prepay: ${pre.text}`);
    return t;
  };
}

export interface LoadResult {
  concurrency: number;
  completed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  latencies: number[];
  /** CPU ms per completed payment spent by each process during the run (filled in by run.ts). */
  cpuPerPayment?: { proxy: number; sim: number; client: number };
  /** Wall time between the CPU readings taken around the run (covers work finishing after the last answer). */
  cpuWindowMs?: number;
  /** Run-queue wait (runnable, no core free) per completed payment, same processes. */
  waitPerPayment?: { proxy: number; sim: number; client: number };
}

/** C clients, each paying back to back, for `durationMs`; payments still running at the deadline finish
 *  and are counted over the real elapsed time. */
export async function sustained(ops: PaymentOp[], durationMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    ops.map(async (op) => {
      while (performance.now() < deadline) {
        try {
          latencies.push(await op());
        } catch (err) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
          if (errors > 50) return; // something is broken; stop instead of timing failures
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  return { concurrency: ops.length, completed: latencies.length, errors, firstError, elapsedMs, latencies };
}

/** Two runs at the same concurrency as one: totals add up, CPU per payment is weighted by payments. */
export function merge(a: LoadResult, b: LoadResult): LoadResult {
  const completed = a.completed + b.completed;
  const w = (x?: number, y?: number) => ((x ?? 0) * a.completed + (y ?? 0) * b.completed) / Math.max(1, completed);
  return {
    concurrency: a.concurrency,
    completed,
    errors: a.errors + b.errors,
    firstError: a.firstError ?? b.firstError,
    elapsedMs: a.elapsedMs + b.elapsedMs,
    cpuWindowMs: (a.cpuWindowMs ?? a.elapsedMs) + (b.cpuWindowMs ?? b.elapsedMs),
    latencies: [...a.latencies, ...b.latencies],
    cpuPerPayment:
      a.cpuPerPayment && b.cpuPerPayment
        ? {
            proxy: w(a.cpuPerPayment.proxy, b.cpuPerPayment.proxy),
            sim: w(a.cpuPerPayment.sim, b.cpuPerPayment.sim),
            client: w(a.cpuPerPayment.client, b.cpuPerPayment.client),
          }
        : undefined,
    waitPerPayment:
      a.waitPerPayment && b.waitPerPayment
        ? {
            proxy: w(a.waitPerPayment.proxy, b.waitPerPayment.proxy),
            sim: w(a.waitPerPayment.sim, b.waitPerPayment.sim),
            client: w(a.waitPerPayment.client, b.waitPerPayment.client),
          }
        : undefined,
  };
}
