// The proxy's console: readable lines in a terminal, JSON otherwise; routine requests (probes, polls, the
// demo's simulator traffic) at debug while they succeed, everything else at info.
import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { completedLevel, isRoutineRequest, logFormat, logTransport, QuietRoutineRequests } from '../../server/config/logging.ts';

describe('log format', () => {
  it('is pretty exactly when stdout is a terminal, unless LOG_FORMAT says', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(() => logFormat({ LOG_FORMAT: 'yaml' }, true)).toThrow(/LOG_FORMAT/);
  });

  it('uses pino-pretty as a transport only for pretty', () => {
    expect(logTransport('pretty')?.target).toBe('pino-pretty');
    expect(logTransport('json')).toBeUndefined();
  });
});

describe('routine requests', () => {
  it.each([
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['GET', '/metrics'],
    ['HEAD', '/healthz'],
    ['GET', '/api/payments/pay_123'],
    ['GET', '/api/terminal'],
    ['GET', '/sw.js'],
    ['POST', '/sim/pockyt/app-instore/v3/tran-query'],
    ['GET', '/sim/pockyt/control/codes/2865000000000001'],
  ])('%s %s is routine', (method, url) => expect(isRoutineRequest(method, url)).toBe(true));

  it.each([
    ['POST', '/api/payments'],
    ['POST', '/api/payments/pay_123/cancel'],
    ['GET', '/api/payments?orderId=o1'],
    ['GET', '/api/orders'],
    ['POST', '/webhooks/pockyt'],
    ['GET', '/'],
    ['GET', '/healthzz'],
    ['PUT', '/api/terminal/store'],
  ])('%s %s is not', (method, url) => expect(isRoutineRequest(method, url)).toBe(false));

  it('a routine request that fails is logged at info', () => {
    expect(completedLevel('GET', '/healthz', 200)).toBe('debug');
    expect(completedLevel('GET', '/healthz', 503)).toBe('info');
    expect(completedLevel('GET', '/api/payments/p1', 404)).toBe('info');
    expect(completedLevel('POST', '/api/payments', 201)).toBe('info');
  });
});

describe('in a Fastify app', () => {
  it('prints request lines for real work and failing probes, none for healthy probes and polls', async () => {
    const lines: { level: number; msg: string; req?: { url: string }; res?: { statusCode: number } }[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream }, logController: new QuietRoutineRequests() });
    let healthy = true;
    app.get('/healthz', async (_req, reply) => reply.code(healthy ? 200 : 503).send({ ok: healthy }));
    app.get('/api/payments/:id', async () => ({ status: 'pending' }));
    app.post('/api/payments', async (_req, reply) => reply.code(201).send({ id: 'p1' }));
    for (let i = 0; i < 5; i++) {
      await app.inject({ method: 'GET', url: '/healthz' });
      await app.inject({ method: 'GET', url: '/api/payments/p1' });
    }
    expect(lines).toEqual([]);
    await app.inject({ method: 'POST', url: '/api/payments', payload: {} });
    healthy = false;
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.close();
    // One line per request, naming it.
    expect(lines.map((l) => [l.msg, l.req?.url, l.res?.statusCode])).toEqual([
      ['request completed', '/api/payments', 201],
      ['request completed', '/healthz', 503],
    ]);
  });
});
