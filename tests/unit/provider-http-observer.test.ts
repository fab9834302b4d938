// The providers' HTTP helper reports every exchange to the app's observer (metrics): the route label, the
// time taken, the status or how it failed. The observer can never change what a call returns or throws.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttp, type HttpObservation } from '../../server/providers/http.ts';
import { routeOf } from '../../server/providers/centrapay/http.ts';
import { ProviderError } from '../../server/providers/types.ts';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 10_000).unref();
    res.statusCode = req.url === '/boom' ? 502 : 200;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function recorder() {
  const seen: HttpObservation[] = [];
  return { seen, observer: { exchanged: (o: HttpObservation) => void seen.push(o) } };
}

const send = (path: string, extra: Partial<Parameters<typeof sendHttp>[0]> = {}) =>
  sendHttp({ provider: 'acme', url: `${base}${path}`, method: 'POST', body: '{}', timeoutMs: 5_000, mayMoveMoney: true, ...extra });

describe('sendHttp observer', () => {
  it('reports answered calls with their status, by operation or explicit route', async () => {
    const { seen, observer } = recorder();
    expect((await send('/ok', { observer, operation: '/ok' })).status).toBe(200);
    expect((await send('/boom', { observer })).status).toBe(502);
    expect((await send('/ok/123', { observer, route: 'POST /ok/{id}' })).status).toBe(200);
    expect(seen.map(({ provider, route, status, failure }) => ({ provider, route, status, failure }))).toEqual([
      { provider: 'acme', route: '/ok', status: 200, failure: undefined },
      { provider: 'acme', route: 'POST /boom', status: 502, failure: undefined },
      { provider: 'acme', route: 'POST /ok/{id}', status: 200, failure: undefined },
    ]);
    for (const o of seen) expect(o.seconds).toBeGreaterThan(0);
  });

  it('reports a timeout and a refused connection as failures, and still throws the same errors', async () => {
    const { seen, observer } = recorder();
    await expect(send('/slow', { observer, timeoutMs: 200 })).rejects.toMatchObject({ code: 'acme_timeout', outcomeUnknown: true });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(
      sendHttp({ provider: 'acme', url: `http://127.0.0.1:${port}/x`, method: 'POST', timeoutMs: 1000, mayMoveMoney: true, observer }),
    ).rejects.toMatchObject({ code: 'acme_unreachable', outcomeUnknown: false });
    expect(seen.map((o) => [o.route, o.failure])).toEqual([
      ['POST /slow', 'timeout'],
      ['POST /x', 'unreachable'],
    ]);
    expect(seen[0].seconds).toBeGreaterThanOrEqual(0.19);
  });

  it('an observer that throws changes nothing', async () => {
    const observer = {
      exchanged: () => {
        throw new Error('metrics broke');
      },
    };
    expect((await send('/ok', { observer })).status).toBe(200);
    await expect(send('/slow', { observer, timeoutMs: 200 })).rejects.toBeInstanceOf(ProviderError);
  });

  it('Centrapay routes carry no ids', () => {
    expect(routeOf('GET', '/api/payment-requests/pr_123/activities')).toBe('GET /api/payment-requests/{id}/activities');
    expect(routeOf('GET', '/api/payment-requests/external-ref/ref-9?merchantAccountId=a')).toBe(
      'GET /api/payment-requests/external-ref/{id}',
    );
    expect(routeOf('POST', '/api/payment-requests/abc/void')).toBe('POST /api/payment-requests/{id}/void');
    expect(routeOf('POST', '/api/payment-requests')).toBe('POST /api/payment-requests');
  });
});
