// Bench child: the real proxy (buildApp + loadConfig from the environment the parent passes) on
// 127.0.0.1:<free port>, with BENCH_TERMINALS pairing codes made up front so the parent can pair kiosks.
// It answers `fetches` (child.ask('fetches')): how many HTTP requests it has sent, per origin — the
// provider calls, counted where they leave (a counting wrapper around the global fetch the adapters use).
import { buildApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { crashHooksFromEnv } from '../../server/crash-hooks.ts';
import { sandbox } from '../../sandbox/index.ts';
import { childGuard, failAndExit, report } from './child.ts';

export interface ProxyChildInfo {
  baseUrl: string;
  pairingCodes: string[];
  /** BENCH_PAIR_STORES=demo-us,demo-nz: one pairing code per listed store (pairingCodes are STORE_ID's). */
  pairingByStore: Record<string, string>;
  /** Only what affects the numbers (never credentials). */
  config: {
    databaseUrl: string;
    demo: boolean;
    pollInitialMs: number;
    pollMaxMs: number;
    pockytBaseUrl: string | null;
    ipnScheduleMs: number[] | 'default';
    /** Every poller setting (the polling bench prints them). */
    poll: Config['poll'];
  };
}

const fetches: Record<string, number> = {};
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const origin = URL.canParse(url) ? new URL(url).origin : 'unparsed';
  fetches[origin] = (fetches[origin] ?? 0) + 1;
  return realFetch(input, init);
};
process.on('message', (m: any) => {
  if (m?.fetches) process.send?.({ fetches: m.fetches, answer: { ...fetches } });
});

try {
  // Composed like server/main.ts: the sandbox comes in through the one seam; the crash tests start this
  // child with CRASH_AT (tests/server/crash-payments.test.ts).
  const config = loadConfig(process.env, sandbox);
  const app = await buildApp(config, { sandbox, paymentHooks: crashHooksFromEnv(process.env) });
  childGuard(() => app.close());
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const n = Number(process.env.BENCH_TERMINALS ?? '1');
  const pairingCodes: string[] = [];
  for (let i = 0; i < n; i++) pairingCodes.push((await app.kiosk.createPairingCode()).code);
  const pairingByStore: Record<string, string> = {};
  for (const id of (process.env.BENCH_PAIR_STORES ?? '').split(',').filter(Boolean))
    pairingByStore[id] = (await app.kiosk.createPairingCode(id)).code;
  const info: ProxyChildInfo = {
    baseUrl: `http://127.0.0.1:${addr.port}`,
    pairingCodes,
    pairingByStore,
    config: {
      databaseUrl: config.databaseUrl,
      demo: config.demo,
      pollInitialMs: config.poll.initialMs,
      pollMaxMs: config.poll.maxMs,
      pockytBaseUrl: config.providers.pockyt?.baseUrl ?? null,
      ipnScheduleMs: config.sim.pockyt.ipnScheduleMs ?? 'default',
      poll: config.poll,
    },
  };
  report({ ready: info });
} catch (err) {
  failAndExit(err);
}
