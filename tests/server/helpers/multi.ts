// Several proxy instances on one database, as real processes (bench/lib/proxy-child.ts), talking to one set of
// provider simulators that runs in the test process. Each instance reaches the provider through its own
// recording forwarder, so a test can tell which instance sent which provider request — the seam for "one
// worker per payment" (the simulators themselves do not count queries).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChild, type Child } from '../../../bench/lib/child.ts';
import type { ProxyChildInfo } from '../../../bench/lib/proxy-child.ts';
import { freePort } from '../../../bench/lib/sims.ts';

export interface Sent {
  at: number;
  path: string;
  body: string;
}

/** Forwards every request to `target` and records it. */
export interface Forwarder {
  url: string;
  sent: Sent[];
  close(): Promise<void>;
}

export async function startForwarder(target: string): Promise<Forwarder> {
  const sent: Sent[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      sent.push({ at: Date.now(), path: req.url ?? '', body: body.toString('utf8') });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      fetch(`${target}${req.url}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body })
        .then(async (r) => {
          const out = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(out);
        })
        .catch(() => {
          res.destroy();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Instance {
  name: string;
  proxy: Child<ProxyChildInfo>;
  forwarder: Forwarder;
  baseUrl: string;
  alive: boolean;
}

/** Starts one proxy process with `env`, its provider base URL variable (`baseUrlVar`) pointed at its own
 *  forwarder in front of `providerUrl`. */
export async function startInstance(
  name: string,
  env: Record<string, string>,
  baseUrlVar: string,
  providerUrl: string,
): Promise<Instance> {
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
