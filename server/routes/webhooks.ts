// POST /webhooks/:provider — provider notifications (DESIGN §5, §10), one route for every provider in the
// registry. Not under /api: providers carry no terminal token; each notification proves itself by its
// provider's signature over the raw body, which is why bodies are kept as the exact bytes received (parsers
// scoped to this plugin only). A verified notification is a hint: handleNotification de-duplicates it and
// re-queries the provider before anything changes; then the provider gets its own exact acknowledgement.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROVIDER_LABELS } from '../../src/shared/providers.ts';
import type { Metrics } from '../ops/metrics.ts';
import { handleNotification } from '../payments/notifications.ts';
import type { Payment } from '../store/payments.ts';
import { providerModule, providerModules } from '../providers/registry.ts';
import type { Providers } from '../wiring/providers.ts';
import { errorBody } from './errors.ts';

export interface WebhookOptions {
  providers: Providers;
  /** Told when a notification changed a payment (notification lag). */
  metrics?: Pick<Metrics, 'notificationApplied'>;
}

/** A body as received, with the media type it came in (Fastify's own content-type matching decides it). */
interface RawBody {
  mediaType: string;
  bytes: Buffer;
}

/** Marks a body in a content type no provider of ours sends. */
const UNSUPPORTED = Symbol('unsupported body');

/** The body's exact bytes if it came in `mediaType` (no body at all counts as empty), else null. */
function bodyIn(request: FastifyRequest, mediaType: string): Buffer | null {
  if (request.body === undefined) return Buffer.alloc(0);
  const body = request.body as RawBody | typeof UNSUPPORTED;
  return body !== UNSUPPORTED && body.mediaType === mediaType ? body.bytes : null;
}

export async function webhookRoutes(app: FastifyInstance, opts: WebhookOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  // Signatures and body hashes cover bytes, not text: every body stays a Buffer.
  for (const mediaType of new Set(providerModules.map((m) => m.webhookMediaType))) {
    app.addContentTypeParser(mediaType, { parseAs: 'buffer' }, (_req, bytes, done) => done(null, { mediaType, bytes }));
  }
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, UNSUPPORTED));

  const kiosk = app.kiosk;
  const deps = () => ({
    db: kiosk.db,
    bus: kiosk.bus,
    adapters: kiosk.adapters,
    callUnderWay: (p: Payment) => kiosk.leases.callUnderWay(p),
    watcher: kiosk.poller,
  });

  app.post<{ Params: { provider: string } }>('/:provider', async (request, reply) => {
    const name = request.params.provider;
    const mod = providerModule(name);
    if (!mod) return reply.status(404).send(errorBody('unknown_provider', `No provider ${JSON.stringify(name)} sends notifications here.`));
    const provider = opts.providers.active(name);
    if (!provider)
      return reply.status(404).send(errorBody('provider_not_configured', `${PROVIDER_LABELS[mod.name]} is not configured on this server.`));

    const raw = bodyIn(request, mod.webhookMediaType);
    if (raw === null) {
      return reply
        .status(415)
        .send(errorBody('unsupported_media_type', `${PROVIDER_LABELS[mod.name]} notifications are ${mod.webhookMediaType}.`));
    }
    const parsed = await mod.parseWebhook(raw, request.headers, provider.context);
    if (!parsed.ok) {
      // Refused without an acknowledgement: a genuine provider retries, a forger learns nothing.
      request.log.warn({ provider: name, reason: parsed.reason, detail: parsed.detail }, 'webhook refused');
      const code = parsed.status === 401 ? 'invalid_signature' : parsed.status === 503 ? 'cannot_verify' : 'invalid_notification';
      return reply
        .status(parsed.status)
        .send(
          errorBody(code, parsed.status === 503 ? 'Cannot verify notifications right now; send it again later.' : 'Notification refused.'),
        );
    }
    const result = await handleNotification(deps(), { provider: mod.name, ...parsed.notification }, request.log);
    if (result.outcome === 'applied') {
      await opts.metrics
        ?.notificationApplied(mod.name, parsed.notification.eventId)
        .catch((err: Error) => request.log.warn({ err: err.message }, 'notification lag not recorded'));
    }
    if (!result.ack)
      return reply.status(503).send(errorBody('not_confirmed', 'Could not confirm with the provider yet; send it again later.'));
    const ack = mod.webhookAck;
    return reply.status(ack.status).type(ack.contentType).send(ack.body);
  });
}
