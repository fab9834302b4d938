// Connection indicator logic: browser offline vs proxy reachable (/healthz on the real app) vs proxy down
// (closed port, or a server that never answers within the 3 s-style timeout).
import { createServer, type RequestListener, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorReachability, type Reachability } from '../../src/lib/offline/reachability';
import { startServer, type TestServer } from '../server/helpers/app';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

function track() {
  const states: Reachability[] = [];
  return { states, onChange: (s: Reachability) => states.push(s) };
}

async function listen(handler: RequestListener): Promise<{ url: string; srv: Server }> {
  const srv = createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}/healthz`, srv };
}

describe('reachability', () => {
  it('is online when /healthz answers, offline when the browser says so, and re-checks on the online event', async () => {
    let browserOnline = true;
    const events = new EventTarget();
    const t = track();
    const m = monitorReachability({
      url: `${server.baseUrl}/healthz`,
      intervalMs: 60_000,
      isOnline: () => browserOnline,
      events,
      onChange: t.onChange,
    });
    await expect.poll(() => t.states.at(-1)).toBe('online');

    browserOnline = false;
    events.dispatchEvent(new Event('offline'));
    expect(t.states.at(-1)).toBe('offline');

    browserOnline = true;
    events.dispatchEvent(new Event('online'));
    await expect.poll(() => t.states.at(-1), { timeout: 2000 }).toBe('online');
    expect(t.states).toEqual(['online', 'offline', 'online']);
    m.stop();
  });

  it('reports proxy-down when the proxy does not answer in time, and notices recovery on its interval', async () => {
    let hang = true;
    const { url, srv } = await listen((req, res) => {
      if (hang) return; // never answers
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const t = track();
    const started = Date.now();
    const m = monitorReachability({ url, intervalMs: 100, timeoutMs: 150, isOnline: () => true, events: null, onChange: t.onChange });
    await expect.poll(() => t.states.at(-1), { timeout: 2000 }).toBe('proxy-down');
    expect(Date.now() - started).toBeLessThan(1500);
    hang = false;
    await expect.poll(() => t.states.at(-1), { timeout: 2000 }).toBe('online');
    m.stop();
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
  });

  it('re-checks a down proxy sooner than the normal interval, so payments come back quickly', async () => {
    let up = false;
    const { url, srv } = await listen((_req, res) => res.writeHead(up ? 200 : 503).end('{}'));
    const t = track();
    const m = monitorReachability({ url, intervalMs: 60_000, retryMs: 100, isOnline: () => true, events: null, onChange: t.onChange });
    await expect.poll(() => t.states.at(-1), { timeout: 2000 }).toBe('proxy-down');
    up = true;
    await expect.poll(() => t.states.at(-1), { timeout: 2000 }).toBe('online');
    m.stop();
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
  });

  it('treats an error status and a closed port as proxy-down', async () => {
    const { url, srv } = await listen((_req, res) => res.writeHead(503).end('{"ok":false}'));
    const t = track();
    const m = monitorReachability({ url, intervalMs: 60_000, isOnline: () => true, events: null, onChange: t.onChange });
    expect(await m.check()).toBe('proxy-down');
    m.stop();
    await new Promise((r) => srv.close(r));
    const t2 = track();
    const m2 = monitorReachability({ url, intervalMs: 60_000, isOnline: () => true, events: null, onChange: t2.onChange });
    expect(await m2.check()).toBe('proxy-down');
    m2.stop();
  });
});
