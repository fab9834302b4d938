// The two sources of trouble during the load phase: random one-shot faults at the simulators (5xx, stalls
// before or after the provider commits, dropped connections — on the calls that charge and on those that
// recover), and the proxy SIGKILLed every few seconds and restarted on the same database and port.
import type { ProviderName } from '../../src/shared/payment.ts';
import { startChild, type Child } from '../lib/child.ts';
import type { ProxyChildInfo } from '../lib/proxy-child.ts';
import { control } from '../lib/sims.ts';
import { between, FAULT_PATHS, pick, type Rng } from './plan.ts';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

export interface FaultStats {
  injected: number;
  byKind: Record<string, number>;
}

export async function injectFaults(
  controls: Record<ProviderName, string>,
  r: Rng,
  everyMs: number,
  maxDelayMs: number,
  until: () => boolean,
): Promise<FaultStats> {
  const stats: FaultStats = { injected: 0, byKind: {} };
  const providers = Object.keys(controls) as ProviderName[];
  while (!until()) {
    const provider = pick(r, providers);
    const kind = pick(r, ['http500', 'delay', 'delay', 'drop'] as const);
    const phase = pick(r, ['before', 'after'] as const);
    const fault = { path: pick(r, FAULT_PATHS[provider]), kind, phase, ms: between(r, 100, maxDelayMs), times: 1 };
    const res = await control(controls[provider], 'POST', '/faults', fault).catch(() => null);
    if (res?.status !== 200) throw new Error(`${provider} refused fault ${JSON.stringify(fault)}: ${JSON.stringify(res?.body)}`);
    stats.injected++;
    const label = `${kind}/${phase}`;
    stats.byKind[label] = (stats.byKind[label] ?? 0) + 1;
    await sleep(between(r, everyMs / 2, everyMs * 1.5));
  }
  return stats;
}

export async function clearFaults(controls: Record<ProviderName, string>): Promise<void> {
  await Promise.all(Object.values(controls).map((c) => control(c, 'DELETE', '/faults')));
}

/** The proxy process: restartable on the same env (same port, same SQLite file). */
export class ProxyProcess {
  child: Child<ProxyChildInfo> | null = null;
  kills = 0;
  downMs: number[] = [];

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<Child<ProxyChildInfo>> {
    this.child = await startChild<ProxyChildInfo>('./proxy-child.ts', this.env);
    return this.child;
  }

  /** SIGKILL (no shutdown hooks, no flush) and start again at once; returns how long it was down. */
  async killAndRestart(): Promise<void> {
    const c = this.child;
    if (!c) return;
    const t0 = Date.now();
    process.kill(c.pid, 'SIGKILL');
    await c.exited;
    this.kills++;
    await this.start();
    this.downMs.push(Date.now() - t0);
  }

  async stop(): Promise<void> {
    await this.child?.stop();
    this.child = null;
  }
}

export async function killLoop(proxy: ProxyProcess, r: Rng, everyMs: [number, number], until: () => boolean): Promise<void> {
  while (!until()) {
    await sleep(between(r, everyMs[0], everyMs[1]));
    if (until()) return;
    await proxy.killAndRestart();
  }
}
