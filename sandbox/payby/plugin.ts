// PayBy sandbox as a Fastify plugin: the real acquire2 protocol (paths, {requestTime, bizContent} envelope,
// SHA256withRSA `sign` both ways, head codes, statuses, notifications) with in-memory state. The core
// registers it with `app.register(paybySimulator, { prefix: '/sim/payby', ...opts })`; the API is then at
// `<origin>/sim/payby/sgs/api` (the adapter's baseUrl).
import { createPublicKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SimTimers } from '../common/timers.ts';
import { loadPrivateKey, loadPublicKey } from '../../server/providers/payby/signing.ts';
import { registerAcquireRoutes } from './acquire.ts';
import { SimClock } from './clock.ts';
import { API_BASE, type SimContext } from './context.ts';
import { registerControlRoutes } from './control.ts';
import { FaultBook } from './faults.ts';
import { generatePayByKeyPair } from './keys.ts';
import { Ledger } from './ledger.ts';
import { createNotifier, DEFAULT_NOTIFY_SCHEDULE_MS } from './notify.ts';
import { fail } from './protocol.ts';
import { registerRefundRoutes } from './refund.ts';

export interface PayBySimOptions {
  /** The merchant's Partner-Id the simulator accepts. */
  partnerId: string;
  /** The merchant public key "uploaded to PayBy": our requests' `sign` must verify with it. */
  merchantPublicKeyPem: string;
  /** The simulator's "PayBy platform" private key; generated at start when absent (then read the public
   *  half from GET <prefix>/control/platform-key, or pass a pair from generatePayByKeyPair()). */
  platformPrivateKeyPem?: string;
  /** PWD… codes: time spent CREATED before PAID_SUCCESS. Default 3000. */
  pendingMs?: number;
  /** SLOW… codes: how late the (already committed) answer arrives. Default 30000. */
  slowMs?: number;
  /** Wallet authCode validity. Default 60000. */
  codeTtlMs?: number;
  /** DYNQR tokenUrl validity (the order's own expiredTime also applies). Default 1 h. */
  tokenTtlMs?: number;
  /** REFUNDED_SETTLED → SUCCESS. Default 2000. */
  refundCompleteMs?: number;
  /** Delay before each notification attempt; its length is the number of attempts. Default: PayBy's 2/10/10/60/120/360/900-minute retries. */
  notifyRetryScheduleMs?: number[];
  /** Shown on the wallet page ("Pay AED 12.50 to <storeName>?"). */
  storeName?: string;
  /** Origin put in merchant-QR links (the demo wallet's pay page); default the origin the API was called on. */
  payUrlBase?: string;
}

export async function paybySimulator(app: FastifyInstance, opts: PayBySimOptions): Promise<void> {
  if (typeof opts.partnerId !== 'string' || opts.partnerId === '') throw new Error('paybySimulator: option partnerId is required');
  const merchantPublicKey = loadPublicKey(opts.merchantPublicKeyPem, 'paybySimulator merchantPublicKeyPem');
  const platformPrivateKey = loadPrivateKey(
    opts.platformPrivateKeyPem ?? generatePayByKeyPair().privateKeyPem,
    'paybySimulator platformPrivateKeyPem',
  );
  const platformPublicKeyPem = createPublicKey(platformPrivateKey).export({ type: 'spki', format: 'pem' }).toString();

  // Registered in this plugin's context only: request bodies stay raw bytes, because `sign` covers exactly
  // the bytes sent, and a body we cannot read must become PayBy's 400, not Fastify's 400/415.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const sendJson = (reply: import('fastify').FastifyReply, status: number, env: unknown) =>
    reply.code(status).type('application/json; charset=UTF-8').send(JSON.stringify(env));
  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (!req.url.includes(API_BASE)) {
      return reply
        .code(status)
        .send({ error: { code: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'Simulator error' : err.message } });
    }
    // e.g. body over the size limit (413): the gateway's status, still PayBy's envelope (unsigned global code).
    return sendJson(reply, status, status === 500 ? fail('500') : fail('400', err.message));
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.includes(API_BASE)) return sendJson(reply, 200, fail('404', `${req.method} ${req.url.split('?')[0]} is not a PayBy API`));
    return reply.code(404).send({ error: { code: 'not_found', message: 'No such simulator route' } });
  });

  const clock = new SimClock();
  const timers = new SimTimers();
  const notifier = createNotifier({
    timers,
    clock,
    platformPrivateKey,
    payeeMid: opts.partnerId,
    scheduleMs: opts.notifyRetryScheduleMs ?? DEFAULT_NOTIFY_SCHEDULE_MS,
  });
  const ledger = new Ledger(clock, timers, { onPaid: (o) => notifier.payment(o), onRefundDone: (r) => notifier.refund(r) });

  const ctx: SimContext = {
    partnerId: opts.partnerId,
    merchantPublicKey,
    platformPrivateKey,
    platformPublicKeyPem,
    storeName: opts.storeName,
    payUrlBase: opts.payUrlBase,
    pendingMs: opts.pendingMs ?? 3000,
    slowMs: opts.slowMs ?? 30_000,
    codeTtlMs: opts.codeTtlMs ?? 60_000,
    tokenTtlMs: opts.tokenTtlMs ?? 3_600_000,
    refundCompleteMs: opts.refundCompleteMs ?? 2000,
    clock,
    ledger,
    timers,
    faults: new FaultBook(),
    notifier,
    prefix: app.prefix,
  };
  registerAcquireRoutes(app, ctx);
  registerRefundRoutes(app, ctx);
  registerControlRoutes(app, ctx);

  // preClose: before the server waits for in-flight requests, wake any slow answer and stop timers.
  app.addHook('preClose', async () => timers.shutdown());
}
