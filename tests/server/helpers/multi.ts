// Several proxy instances on one database, as real processes (bench/lib/proxy-child.ts), talking to one set of
// provider simulators that runs in the test process. Each instance reaches the provider through its own
// recording forwarder, so a test can tell which instance sent which provider request — the seam for "one
// worker per payment" (the simulators themselves do not count queries).
import { startChild, type Child } from '../../../bench/lib/child.ts';
import { startForwarder, type Forwarder } from '../../../bench/lib/forwarder.ts';
import type { ProxyChildInfo } from '../../../bench/lib/proxy-child.ts';
import { freePort } from '../../../bench/lib/sims.ts';

export interface Instance {
  name: string;
  proxy: Child<ProxyChildInfo>;
  forwarder: Forwarder;
  baseUrl: string;
  alive: boolean;
}

/** Starts one proxy process with `env`, its provider base URL variable (`baseUrlVar`) pointed at its own
 *  forwarder in front of `providerUrl`. */
export async function startInstance(name: string, env: Record<string, string>, baseUrlVar: string, providerUrl: string): Promise<Instance> {
  const forwarder = await startForwarder(providerUrl);
  const port = await freePort();
  const proxy = await startChild<ProxyChildInfo>('./proxy-child.ts', {
    ...env,
    [baseUrlVar]: forwarder.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  });
  const instance: Instance = { name, proxy, forwarder, baseUrl: proxy.info.baseUrl, alive: true };
  void proxy.exited.then(() => {
    instance.alive = false;
  });
  return instance;
}

/** The provider requests to `path` that name `ids` (our reference or the provider's transaction id), per instance. */
export function requestsFor(instances: Instance[], path: string, ids: string[], since = 0): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of instances) {
    const n = i.forwarder.sent.filter((s) => s.at >= since && s.path.startsWith(path) && ids.some((id) => s.body.includes(id))).length;
    if (n > 0) out[i.name] = n;
  }
  return out;
}

/** A Prometheus counter's value from an instance's /metrics (loopback needs no token). */
export async function counter(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.split(' ').pop());
  return sum;
}
