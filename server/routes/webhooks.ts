// POST /webhooks/<provider> — provider notifications (DESIGN §5, §10). Not under /api: providers carry no
// terminal token; each notification proves itself by its provider's signature over the raw body, which is
// why the body is kept as the exact string received (parser scoped to this plugin only).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleNotification } from '../payments/notifications.ts';
import { isPockytStatus, STATUS_MAP } from '../payments/providers/pockyt/mapping.ts';
import { POCKYT_ACK, queriedAmount, readPockytIpn } from '../payments/providers/pockyt/webhook.ts';
import { errorBody } from './errors.ts';

/** Marks a body in a content type no provider of ours sends. */
const UNSUPPORTED = Symbol('unsupported body');

function rawText(request: FastifyRequest): string | null {
  return typeof request.body === 'string' ? request.body : request.body === undefined ? '' : null;
}

export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, UNSUPPORTED));

  const kiosk = app.kiosk;
  const pockyt = kiosk.config.pockyt;
  if (pockyt) {
    app.post('/pockyt', async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = rawText(request);
      if (raw === null) {
        return reply.status(415).send(errorBody('unsupported_media_type', 'Pockyt IPNs are application/x-www-form-urlencoded.'));
      }
      const ipn = readPockytIpn(raw, pockyt.token);
      if (!ipn.ok) {
        // Refused without a `success`: a genuine Pockyt would retry, a forger gets nothing to learn from.
        request.log.warn({ provider: 'pockyt', reason: ipn.reason, transactionNo: ipn.transactionNo }, 'webhook refused');
        return reply.status(ipn.httpStatus).send(errorBody(ipn.httpStatus === 401 ? 'invalid_signature' : 'invalid_notification', 'Notification refused.'));
      }
      const result = await handleNotification({
        db: kiosk.db, bus: kiosk.bus, adapters: kiosk.adapters, inFlight: kiosk.service.inFlight, watcher: kiosk.poller,
      }, {
        provider: 'pockyt',
        eventId: ipn.eventId,
        rawBody: raw,
        providerRef: ipn.transactionNo,
        reference: ipn.reference,
        claimedStatus: isPockytStatus(ipn.status) ? STATUS_MAP[ipn.status].status : undefined,
        claimedAmount: ipn.amount,
        queriedAmount,
      }, request.log);
      if (!result.ack) {
        return reply.status(503).send(errorBody('not_confirmed', 'Could not confirm with the provider yet; send it again later.'));
      }
      return reply.status(200).type('text/plain; charset=utf-8').send(POCKYT_ACK);
    });
  }
}
