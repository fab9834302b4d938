// Pockyt sandbox as a Fastify plugin: the real protocol (paths, envelope, verifySign, ret_codes, statuses,
// IPNs) with in-memory state. The core registers it with `app.register(pockytSimulator, { prefix: '/sim/pockyt', ...opts })`.
import type { FastifyInstance } from 'fastify';
import { FaultBook } from '../common/faults.ts';
import { SimTimers } from '../common/timers.ts';
import { registerControlRoutes } from './control.ts';
import { registerInstoreRoutes } from './instore.ts';
import { createIpnSender, DEFAULT_IPN_SCHEDULE_MS } from './ipn.ts';
import { Ledger } from './ledger.ts';
import { fail, MALFORMED } from './protocol.ts';
import { registerSearchRoutes } from './search.ts';
import { registerListRoutes } from './lists.ts';

export interface PockytSimOptions {
  merchantNo: string;
  storeNo: string;
  token: string;
  /** 0002/0003 scenarios: time spent pending before success/failed. Default 3000. */
  pendingMs?: number;
  /** 0005 scenario: how late the (already committed) answer arrives. Default 25000. */
  slowMs?: number;
  /** Wallet code validity. Default 60000. */
  codeTtlMs?: number;
  /** Delay before each IPN attempt; its length is the number of attempts. Default: 8 attempts over 2 h. */
  ipnRetryScheduleMs?: number[];
  /** Length of one `timeout` minute, to compress transaction closing in tests. Default 60000. */
  minuteMs?: number;
  /** Shown on the wallet page ("Pay $12.50 to <storeName>?"). */
  storeName?: string;
  /** Origin put in merchant-QR links (the demo wallet's pay page); default the origin the API was called on. */
  payUrlBase?: string;
}

export async function pockytSimulator(app: FastifyInstance, opts: PockytSimOptions): Promise<void> {
  for (const k of ['merchantNo', 'storeNo', 'token'] as const) {
    if (typeof opts[k] !== 'string' || opts[k] === '') throw new Error(`pockytSimulator: option ${k} is required`);
  }
  // Registered in this plugin's context only: Pockyt SDKs post form bodies, and a body we cannot read
  // must become Pockyt's error (000020), not Fastify's 400/415/500.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if ((body as string).trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(null, MALFORMED);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, MALFORMED));

  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (req.url.includes('/control/') || req.url.includes('/qr/')) {
      return reply
        .code(status)
        .send({ error: { code: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'Simulator error' : err.message } });
    }
    // e.g. body over the size limit (413): the gateway's status, still in Pockyt's envelope.
    return reply.code(status).send(status === 500 ? fail('000000', 'system error') : fail('000020', `bad request: ${err.message}`));
  });

  const timers = new SimTimers();
  const sendIpn = createIpnSender({ timers, token: opts.token, scheduleMs: opts.ipnRetryScheduleMs ?? DEFAULT_IPN_SCHEDULE_MS });
  const ledger = new Ledger({ timers, minuteMs: opts.minuteMs ?? 60_000, onFinal: sendIpn });

  const ctx = {
    merchantNo: opts.merchantNo,
    storeNo: opts.storeNo,
    token: opts.token,
    storeName: opts.storeName,
    payUrlBase: opts.payUrlBase,
    pendingMs: opts.pendingMs ?? 3000,
    slowMs: opts.slowMs ?? 25_000,
    codeTtlMs: opts.codeTtlMs ?? 60_000,
    ledger,
    timers,
    faults: new FaultBook((p) => (p.startsWith('/app-') ? null : 'path must be a Pockyt path such as /app-instore/v3/prepay')),
    prefix: app.prefix,
  };
  registerInstoreRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerListRoutes(app, ctx);
  registerControlRoutes(app, ctx);

  // preClose: before the server waits for in-flight requests, wake any slow (0005) answer and stop timers.
  app.addHook('preClose', async () => timers.shutdown());
}
