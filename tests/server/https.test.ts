// TLS_CERT_FILE + TLS_KEY_FILE: the proxy serves HTTPS itself (tablets need a secure origin for the camera).
// A throwaway self-signed certificate; the client trusts exactly that certificate.
import type { FastifyInstance } from 'fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from '../../sandbox/index.ts';
import { buildApp } from '../../server/app.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { FAST_ENV } from './helpers/app.ts';
import { selfSignedCertificate, type SelfSigned } from './helpers/self-signed.ts';

let tls: SelfSigned;
beforeAll(() => {
  tls = selfSignedCertificate();
});
afterAll(() => tls?.remove());

describe('HTTPS', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    const config = loadConfig({ ...FAST_ENV, TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: tls.keyFile }, sandbox);
    app = await buildApp(config, { sandbox });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => app?.close());

  it('answers over TLS with the configured certificate', async () => {
    const r = await new Promise<{ status: number; body: string; subject: string }>((done, fail) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port, path: '/healthz', ca: readFileSync(tls.certFile), servername: 'localhost' },
        (res) => {
          const subject = String((res.socket as TLSSocket).getPeerCertificate().subject.CN);
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => done({ status: res.statusCode ?? 0, body, subject }));
        },
      );
      req.on('error', fail).end();
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true });
    expect(r.subject).toBe('localhost');
  });

  it('does not answer plain HTTP on the same port', async () => {
    const outcome = await new Promise<string>((done) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz', timeout: 3000 }, (res) => done(`http ${res.statusCode}`));
      req.on('error', (err) => done(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end();
    });
    expect(outcome).not.toBe('http 200');
  });

  it('links and self-calls use https', () => {
    expect(app.kiosk.config.publicUrl).toMatch(/^https:\/\/localhost:0$/);
    expect(app.kiosk.publicUrl()).toBe(`https://127.0.0.1:${port}`);
  });
});

describe('TLS configuration errors', () => {
  it('needs both files', () => {
    expect(() => loadConfig({ ...FAST_ENV, TLS_CERT_FILE: tls.certFile })).toThrow(/TLS_KEY_FILE/);
    expect(() => loadConfig({ ...FAST_ENV, TLS_KEY_FILE: tls.keyFile })).toThrow(/TLS_CERT_FILE/);
  });

  it('names the variable whose file is missing or not PEM', () => {
    expect(() => loadConfig({ ...FAST_ENV, TLS_CERT_FILE: join(tls.dir, 'nope.pem'), TLS_KEY_FILE: tls.keyFile })).toThrow(ConfigError);
    const notPem = join(tls.dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(() => loadConfig({ ...FAST_ENV, TLS_CERT_FILE: notPem, TLS_KEY_FILE: tls.keyFile })).toThrow(/TLS_CERT_FILE must be a PEM/);
    expect(() => loadConfig({ ...FAST_ENV, TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: notPem })).toThrow(/TLS_KEY_FILE must be a PEM/);
  });
});
