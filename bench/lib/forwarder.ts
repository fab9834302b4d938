// A recording HTTP forwarder: put in front of a provider simulator, it passes every request through and keeps
// when, where and what was sent — so a test or bench with several proxy instances can tell which instance
// sent which provider request (each instance gets its own forwarder).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// fetch() has already undone the transfer and content encodings, so their headers no longer apply.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length']);

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

/** `target`: an origin, or a function that picks one per request (a load balancer in front of instances). */
export async function startForwarder(target: string | (() => string)): Promise<Forwarder> {
  const sent: Sent[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      sent.push({ at: Date.now(), path: req.url ?? '', body: body.toString('utf8') });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      fetch(`${typeof target === 'string' ? target : target()}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      })
        .then(async (r) => {
          const out = Buffer.from(await r.arrayBuffer());
          // Every answer header but the hop-by-hop ones (a provider may sign its answer in a header).
          const answerHeaders: Record<string, string> = {};
          r.headers.forEach((v, k) => {
            if (!HOP_BY_HOP.has(k)) answerHeaders[k] = v;
          });
          res.writeHead(r.status, answerHeaders);
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
