// POST /webhooks/<provider> — provider notifications (DESIGN §5, §10). Not under /api: providers carry no
// terminal token; each notification proves itself by its provider's signature over the raw body, which is
// why bodies are kept exactly as received (parsers scoped to this plugin only). A verified notification is
// a hint: handleNotification de-duplicates it and re-queries the provider before anything changes.
import type { KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProviderName } from '../../src/shared/payment.ts';
import { readCentrapayNotification, type IntakeResult } from '../providers/centrapay/intake.ts';
import type { JwksCache } from '../providers/centrapay/jwks.ts';
import { readPayByNotification } from '../providers/payby/intake.ts';
import { handleNotification, type NotificationResult } from '../payments/notifications.ts';
import { PAYBY_NOTIFY_ACK } from '../providers/payby/webhook.ts';
import { isPockytStatus, STATUS_MAP } from '../providers/pockyt/mapping.ts';
import { POCKYT_ACK, queriedAmount, readPockytIpn } from '../providers/pockyt/webhook.ts';
import { errorBody } from './errors.ts';

export interface WebhookOptions {
  centrapay?: { jwks: JwksCache; audience: () => string };
  payby?: { platformPublicKey: () => KeyObject | null };
}

/** Marks a body in a content type no provider of ours sends. */
const UNSUPPORTED = Symbol('unsupported body');

function rawText(request: FastifyRequest): string | null {
  return typeof request.body === 'string' ? request.body : request.body === undefined ? '' : null;
}

function rawBytes(request: FastifyRequest): Buffer | null {
  return Buffer.isBuffer(request.body) ? request.body : request.body === undefined ? Buffer.alloc(0) : null;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function webhookRoutes(app: FastifyInstance, opts: WebhookOptions): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.removeContentTypeParser('application/json');
  // Signatures and body hashes cover bytes, not text: JSON bodies stay Buffers.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, UNSUPPORTED));

  const kiosk = app.kiosk;
  const deps = () => ({ db: kiosk.db, bus: kiosk.bus, adapters: kiosk.adapters, inFlight: kiosk.service.inFlight, watcher: kiosk.poller });
  const notConfirmed = (reply: FastifyReply) =>
    reply.status(503).send(errorBody('not_confirmed', 'Could not confirm with the provider yet; send it again later.'));
  /** Refused without an acknowledgement: a genuine provider retries, a forger learns nothing. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, provider: ProviderName, r: Extract<IntakeResult, { ok: false }>) => {
    request.log.warn({ provider, reason: r.reason, detail: r.detail }, 'webhook refused');
    const code = r.status === 401 ? 'invalid_signature' : r.status === 503 ? 'cannot_verify' : 'invalid_notification';
    return reply.status(r.status).send(errorBody(code, r.status === 503 ? 'Cannot verify notifications right now; send it again later.' : 'Notification refused.'));
  };
  const handle = async (request: FastifyRequest, r: Extract<IntakeResult, { ok: true }>): Promise<NotificationResult> =>
    handleNotification(deps(), r.notification, request.log);

  const pockyt = kiosk.config.pockyt;
  if (pockyt) {
    app.post('/pockyt', async (request, reply) => {
      const raw = rawText(request);
      if (raw === null) {
        return reply.status(415).send(errorBody('unsupported_media_type', 'Pockyt IPNs are application/x-www-form-urlencoded.'));
      }
      const ipn = readPockytIpn(raw, pockyt.token);
      if (!ipn.ok) {
        request.log.warn({ provider: 'pockyt', reason: ipn.reason, transactionNo: ipn.transactionNo }, 'webhook refused');
        return reply.status(ipn.httpStatus).send(errorBody(ipn.httpStatus === 401 ? 'invalid_signature' : 'invalid_notification', 'Notification refused.'));
      }
      const result = await handleNotification(deps(), {
        provider: 'pockyt', eventId: ipn.eventId, rawBody: raw, providerRef: ipn.transactionNo, reference: ipn.reference,
        claimedStatus: isPockytStatus(ipn.status) ? STATUS_MAP[ipn.status].status : undefined,
        claimedAmount: ipn.amount, queriedAmount,
      }, request.log);
      if (!result.ack) return notConfirmed(reply);
      return reply.status(200).type('text/plain; charset=utf-8').send(POCKYT_ACK);
    });
  }

  const centrapay = opts.centrapay;
  if (centrapay) {
    app.post('/centrapay', async (request, reply) => {
      const raw = rawBytes(request);
      if (raw === null) return reply.status(415).send(errorBody('unsupported_media_type', 'Centrapay notifications are application/json.'));
      const r = await readCentrapayNotification({ raw, authorization: header(request, 'authorization'), jwks: centrapay.jwks, audience: centrapay.audience() });
      if (!r.ok) return refuse(request, reply, 'centrapay', r);
      const result = await handle(request, r);
      // Any 2xx acknowledges (§10).
      return result.ack ? reply.status(200).send({ received: true }) : notConfirmed(reply);
    });
  }

  const payby = opts.payby;
  if (payby) {
    app.post('/payby', async (request, reply) => {
      const raw = rawBytes(request);
      if (raw === null) return reply.status(415).send(errorBody('unsupported_media_type', 'PayBy notifications are application/json.'));
      const key = payby.platformPublicKey();
      if (!key) return refuse(request, reply, 'payby', { ok: false, status: 503, reason: 'key_unavailable' });
      const r = readPayByNotification(raw, header(request, 'sign'), key);
      if (!r.ok) return refuse(request, reply, 'payby', r);
      const result = await handle(request, r);
      // PayBy stops retrying on HTTP 200 whose body contains SUCCESS (§9).
      return result.ack ? reply.status(200).type(PAYBY_NOTIFY_ACK.contentType).send(PAYBY_NOTIFY_ACK.body) : notConfirmed(reply);
    });
  }
}
