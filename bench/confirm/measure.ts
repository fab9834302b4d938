// One confirmation-latency run against one proxy configuration. Each lane is a kiosk (its own paired
// terminal) that takes wallet payments one after another: the customer's code goes pending, the customer
// "thinks" for a random while, then approves in the wallet (the simulator's control route). From the moment
// that approve call returns we time the kiosk's observers of the payment, the way its PaymentWatch follows
// it: with its SSE stream up, the push and a GET /api/payments/:id every `kioskPollMs` (the kiosk polls a
// quiet stream too); with the stream dropped (`stream: false`, no stream open at all), only the GETs.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startChild } from '../lib/child.ts';
import { BenchKiosk, pairTerminal, simControl } from '../lib/kiosk.ts';
import { PAIR_MANY_AT_ONCE } from '../lib/limits.ts';
import type { ProxyChildInfo } from '../lib/proxy-child.ts';
import { TimedSse } from '../lib/sse.ts';

export interface ConfirmOptions {
  label: string;
  env: Record<string, string>;
  payments: number;
  lanes: number;
  thinkMs: [number, number];
  kioskPollMs: number;
  /** The kiosk's event stream is open (false: it dropped, the kiosk only polls). */
  stream: boolean;
  /** Give up on an observer this long after approve (counted, not timed). */
  giveUpMs: number;
  tmpDir: string;
}

export interface ConfirmResult {
  label: string;
  config: ProxyChildInfo['config'];
  env: Record<string, string>;
  stream: boolean;
  kioskPollMs: number;
  sse: number[];
  poll: number[];
  missed: { sse: number; poll: number };
  wallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureConfirm(o: ConfirmOptions): Promise<ConfirmResult> {
  const proxy = await startChild<ProxyChildInfo>('./proxy-child.ts', {
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO: '1',
    LOG_LEVEL: 'silent',
    DATABASE_URL: `sqlite:${join(o.tmpDir, `${o.label.replace(/\W+/g, '-')}.db`)}`,
    DIST_DIR: join(o.tmpDir, 'no-dist'),
    BENCH_TERMINALS: String(o.lanes),
    ...PAIR_MANY_AT_ONCE,
    ...o.env,
  });
  const streams: TimedSse[] = [];
  try {
    const baseUrl = proxy.info.baseUrl;
    const sim = `${baseUrl}/sim/pockyt`;
    const res: ConfirmResult = {
      label: o.label,
      config: proxy.info.config,
      env: o.env,
      stream: o.stream,
      kioskPollMs: o.kioskPollMs,
      sse: [],
      poll: [],
      missed: { sse: 0, poll: 0 },
      wallMs: 0,
    };
    let next = 0;
    const started = performance.now();
    await Promise.all(
      proxy.info.pairingCodes.map(async (pairing) => {
        const { token } = await pairTerminal(baseUrl, pairing);
        const kiosk = new BenchKiosk(baseUrl, token);
        const sse = o.stream ? new TimedSse() : null;
        if (sse) {
          streams.push(sse);
          await sse.open(baseUrl, token);
        }
        while (next < o.payments) {
          next++;
          const r = await onePayment(kiosk, sse, sim, o);
          if (sse && r.sse === null) res.missed.sse++;
          else if (r.sse !== null) res.sse.push(r.sse);
          if (r.poll === null) res.missed.poll++;
          else res.poll.push(r.poll);
        }
      }),
    );
    res.wallMs = performance.now() - started;
    return res;
  } finally {
    await Promise.all(streams.map((s) => s.close()));
    await proxy.stop();
  }
}

/** One wallet payment timed from the customer's approval to the kiosk knowing, by each observer (the polling
 *  bench reuses it); `sse` null: no stream, polling only. `sim` is the Pockyt simulator's base URL (its
 *  control routes are below it). */
export async function onePayment(
  kiosk: BenchKiosk,
  sse: TimedSse | null,
  sim: string,
  o: Pick<ConfirmOptions, 'thinkMs' | 'kioskPollMs' | 'giveUpMs'>,
): Promise<{ sse: number | null; poll: number | null }> {
  const code = await simControl<{ code: string }>(sim, 'POST', '/control/codes', { vendor: 'alipay' });
  if (code.status !== 200) throw new Error(`wallet code: ${code.status} ${JSON.stringify(code.body)}`);
  const paid = await kiosk.pay(code.body.code);
  if (paid.status !== 201 || paid.body.status !== 'pending')
    throw new Error(`payment should be pending: ${paid.status} ${JSON.stringify(paid.body)}`);
  const id = paid.body.id;
  const txn = paid.body.providerRef;

  let sseAt: number | null = null;
  const off =
    sse?.onUpdate((p, at) => {
      if (p.id === id && p.status === 'succeeded' && sseAt === null) sseAt = at;
    }) ?? (() => {});

  // The kiosk's fallback: first GET one interval after the payment went pending, then one interval after
  // each answer (PaymentWatch re-arms its timer when a poll finishes).
  let pollAt: number | null = null;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await sleep(o.kioskPollMs);
      if (!polling) break;
      const r = await kiosk.get(id, { fresh: true });
      if (r.status === 200 && r.body.status === 'succeeded') {
        pollAt = performance.now();
        break;
      }
      if (r.status !== 200 || !['pending', 'succeeded'].includes(r.body.status))
        throw new Error(`poll: ${r.status} ${JSON.stringify(r.body)}`);
    }
  })();

  await sleep(o.thinkMs[0] + Math.random() * (o.thinkMs[1] - o.thinkMs[0]));
  const ok = await simControl(sim, 'POST', `/control/transactions/${txn}/approve`);
  const t0 = performance.now();
  if (ok.status !== 200) throw new Error(`approve: ${ok.status} ${JSON.stringify(ok.body)}`);

  while (((sse && sseAt === null) || pollAt === null) && performance.now() - t0 < o.giveUpMs) await sleep(5);
  polling = false;
  off();
  await poller;
  const since = (x: number | null) => (x === null ? null : x - t0);
  return { sse: since(sseAt), poll: since(pollAt) };
}
