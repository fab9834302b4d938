// buildApp(config) → a ready-to-listen Fastify instance (DESIGN §3). Plugin layout after fastify/demo:
// infrastructure first (store, bus, adapters, services), then cross-cutting hooks (errors, headers, body
// parsing), then route plugins, then the simulator and static PWA. Tests build it and listen on port 0.
import Fastify, { type FastifyInstance } from 'fastify';
import { ConfigError, selfHost, type Config } from './config.ts';
import { EventBus } from './events/bus.ts';
import { lazyRegistry, type AdapterRegistry } from './payments/adapters.ts';
import { Poller } from './payments/poller.ts';
import { PaymentService } from './payments/service.ts';
import { createPockytAdapter } from './payments/providers/pockyt/adapter.ts';
import { pockytSimulator } from './payments/providers/pockyt/simulator/plugin.ts';
import { ApiError } from './payments/api-error.ts';
import type { Kiosk } from './routes/context.ts';
import { requireTerminal } from './routes/auth.ts';
import { installErrorHandling } from './routes/errors.ts';
import { attentionRoutes } from './routes/attention.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { pairRoutes } from './routes/pair.ts';
import { paymentRoutes } from './routes/payments.ts';
import { orderRoutes } from './routes/orders.ts';
import { installSecurityHeaders } from './routes/security.ts';
import { distAvailable, isSpaRequest, registerStatic, sendIndex } from './routes/static.ts';
import { terminalRoutes } from './routes/terminal.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { openMigratedStore } from './store/db.ts';
import { loadStoreConfigs, type StoreConfig } from './store/store-config.ts';
import { createPairingCode } from './store/terminals.ts';

export const BODY_LIMIT = 65_536;

// Header and body fields that carry secrets; pino replaces them before a line is written.
const REDACT = [
  'req.headers.authorization', 'req.headers["idempotency-key"]', 'headers.authorization',
  'token', '*.token', 'verifySign', '*.verifySign', 'paymentBarcode', '*.paymentBarcode',
];

export function scrubUrl(url: string): string {
  return url.replace(/([?&]pair=)[^&#]*/gi, '$1[redacted]');
}

function checkRouting(config: Config, stores: Map<string, StoreConfig>): void {
  const store = stores.get(config.storeId);
  if (!store) {
    throw new ConfigError(`STORE_ID=${config.storeId} has no file in ${config.storesDir} (found: ${[...stores.keys()].join(', ') || 'none'})`);
  }
  for (const [vendor, provider] of Object.entries(store.routing)) {
    if (provider === 'pockyt' && !config.pockyt) {
      throw new ConfigError(`Store ${store.id} sends ${vendor} to Pockyt, but Pockyt is not configured: set POCKYT_BASE_URL, POCKYT_MERCHANT_NO, POCKYT_STORE_NO and POCKYT_TOKEN, or DEMO=1`);
    }
  }
}

function selfBaseUrl(app: FastifyInstance, host: string): string | null {
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') return null;
  return `http://${selfHost(host)}:${addr.port}/sim/pockyt`;
}

/** PUBLIC_URL as providers should use it. With PORT=0 (tests) the default names port 0, which nobody can
 *  reach: once listening, that becomes the address we actually got. */
function publicUrlOf(app: FastifyInstance, config: Config): string {
  let u: URL;
  try {
    u = new URL(config.publicUrl);
  } catch {
    return config.publicUrl;
  }
  const addr = app.server.address();
  if (u.port !== '0' || !addr || typeof addr === 'string') return config.publicUrl;
  return `${u.protocol}//${selfHost(config.host)}:${addr.port}${u.pathname.replace(/\/+$/, '')}`;
}

function adapterRegistry(app: FastifyInstance, config: Config): AdapterRegistry {
  const pockyt = config.pockyt;
  return lazyRegistry({
    ...(pockyt ? {
      pockyt: () => {
        const baseUrl = pockyt.baseUrl ?? selfBaseUrl(app, config.host);
        if (!baseUrl) return undefined;
        return createPockytAdapter({
          baseUrl, merchantNo: pockyt.merchantNo, storeNo: pockyt.storeNo, token: pockyt.token,
          timeoutMs: pockyt.timeoutMs, prepayTimeoutMs: pockyt.prepayTimeoutMs, confirmWindowMs: pockyt.confirmWindowMs,
          // Pockyt notifies final statuses here (spec §10); the poller covers a proxy it cannot reach.
          ipnUrl: `${publicUrlOf(app, config)}/webhooks/pockyt`,
        });
      },
    } : {}),
  });
}

export async function buildApp(config: Config): Promise<FastifyInstance> {
  const stores = loadStoreConfigs(config.storesDir);
  checkRouting(config, stores);
  const store = await openMigratedStore(config.databaseUrl);
  try {
    return await assemble(config, stores, store);
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function assemble(config: Config, stores: Map<string, StoreConfig>, store: Awaited<ReturnType<typeof openMigratedStore>>): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: {
        // The pairing link (/?pair=CODE) is a one-time secret; keep it out of access logs.
        req: (req) => ({ method: req.method, url: scrubUrl(req.url), remoteAddress: req.ip }),
      },
    },
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    // Server-generated ids in logs; never echo a client-chosen request id header.
    requestIdHeader: false,
  });

  const bus = new EventBus();
  const adapters = adapterRegistry(app, config);
  // Payments with a charge or cancel call under way, shared by the service, the poller and the webhooks.
  const inFlight = new Set<string>();
  const poller = new Poller({
    db: store.db, bus, adapters, initialMs: config.poll.initialMs, maxMs: config.poll.maxMs, log: app.log,
    inFlight, lateWindowMs: config.reconcile.lateWindowMs,
  });
  const service = new PaymentService({
    db: store.db, bus, adapters, stores, maxAmountMinor: config.maxAmountMinor, publicUrl: () => publicUrlOf(app, config),
    watcher: poller, inFlight,
  });
  const kiosk: Kiosk = {
    config, db: store.db, bus, adapters, service, poller, stores, streams: new Set(),
    async createPairingCode() {
      const { code, expiresAt } = await createPairingCode(store.db, config.storeId, config.pairingTtlMs);
      return { code, expiresAt, url: `${config.publicUrl}/?pair=${code}` };
    },
  };
  app.decorate('kiosk', kiosk);
  app.decorateRequest('terminal', null);

  // Same JSON parsing as Fastify's (prototype-poisoning checks included), except that an empty body is
  // "no body" — a bodiless POST like cancel should not fail because a client set the content type anyway.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    json(request, text, (err, parsed) => {
      if (err) return done(new ApiError(400, 'invalid_json', 'The body is not valid JSON.'), undefined);
      done(null, parsed);
    });
  });

  const spa = distAvailable(config.distDir);
  installErrorHandling(app, isSpaRequest, spa ? sendIndex : null);
  installSecurityHeaders(app);

  await app.register(healthRoutes);
  await app.register(async (api) => {
    await api.register(pairRoutes);
    await api.register(async (authed) => {
      requireTerminal(authed);
      await authed.register(terminalRoutes);
      await authed.register(paymentRoutes);
      await authed.register(orderRoutes);
      await authed.register(eventRoutes);
      await authed.register(attentionRoutes);
    });
  }, { prefix: '/api' });
  await app.register(webhookRoutes, { prefix: '/webhooks' });

  if (config.demo && config.pockyt) {
    const p = config.pockyt;
    await app.register(pockytSimulator, {
      prefix: '/sim/pockyt',
      merchantNo: p.merchantNo, storeNo: p.storeNo, token: p.token,
      pendingMs: config.sim.pockyt.pendingMs, slowMs: config.sim.pockyt.slowMs, codeTtlMs: config.sim.pockyt.codeTtlMs,
      ipnRetryScheduleMs: config.sim.pockyt.ipnScheduleMs,
      storeName: stores.get(config.storeId)?.name,
    });
  }
  if (spa) await registerStatic(app, config.distDir, config.demo);

  app.addHook('onReady', async () => {
    await poller.start();
  });
  app.addHook('preClose', async () => {
    for (const s of kiosk.streams) s.end();
    kiosk.streams.clear();
    await poller.stop();
  });
  app.addHook('onClose', async () => {
    await store.close();
  });
  return app;
}
