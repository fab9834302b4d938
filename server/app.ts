// buildApp(config, {sandbox}) → a ready-to-listen Fastify instance (DESIGN §3). Plugin layout after
// fastify/demo: infrastructure first (store, bus, providers, services), then cross-cutting hooks (errors,
// headers, body parsing), then route plugins, then the sandbox's simulators (demo) and static PWA. Tests
// build it and listen on port 0. The sandbox is injected (server/wiring/sandbox.ts), never imported here.
import Fastify, { type FastifyInstance } from 'fastify';
import { classifyCode } from '../src/shared/classify.ts';
import { ConfigError, type Config } from './config.ts';
import { createEventBus } from './events/create.ts';
import { logTransport, QuietRoutineRequests } from './config/logging.ts';
import type { PaymentHooks } from './payments/hooks.ts';
import { Cancels } from './payments/cancels.ts';
import { Leases } from './payments/leases.ts';
import { Poller } from './payments/poller.ts';
import { maskCode } from './payments/reference.ts';
import { RefundService } from './payments/refunds.ts';
import { PaymentService } from './payments/service.ts';
import { StaffActions } from './payments/staff-actions.ts';
import { StaffDirectory } from './staff/directory.ts';
import { StaffGate } from './staff/gate.ts';
import { LastSeen } from './staff/last-seen.ts';
import { StaffGrants } from './staff/grants.ts';
import { StaffSessions } from './staff/sessions.ts';
import { PinThrottle } from './staff/throttle.ts';
import type { Kiosk } from './routes/context.ts';
import { requireTerminal } from './routes/auth.ts';
import { handleFrameworkError, installErrorHandling } from './routes/errors.ts';
import { installJsonBodyParser } from './routes/json-body.ts';
import { installRateLimits } from './routes/limits.ts';
import { attentionRoutes } from './routes/attention.ts';
import { eventRoutes } from './routes/events.ts';
import { eReceiptRoutes } from './routes/e-receipt.ts';
import { healthRoutes } from './routes/health.ts';
import { historyRoutes } from './routes/history.ts';
import { opsRoutes } from './routes/ops.ts';
import { createMetrics } from './ops/metrics.ts';
import { checkReadiness } from './ops/readiness.ts';
import { pairRoutes } from './routes/pair.ts';
import { reportRoutes } from './routes/reports.ts';
import { staffRoutes } from './routes/staff.ts';
import { staffMemberRoutes } from './routes/staff-members.ts';
import { staffSessionRoutes } from './routes/staff-session.ts';
import { terminalAdminRoutes } from './routes/terminal-admin.ts';
import { selfCheckoutRoutes } from './routes/self-checkout.ts';
import { paymentRoutes } from './routes/payments.ts';
import { orderRoutes } from './routes/orders.ts';
import { installSecurityHeaders } from './routes/security.ts';
import { closeConnectionsOnShutdown } from './routes/shutdown.ts';
import { distAvailable, isSpaRequest, registerStatic, sendIndex } from './routes/static.ts';
import { terminalRoutes } from './routes/terminal.ts';
import { SseStreams } from './routes/sse-streams.ts';
import { schemaValidator } from './routes/validator.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { ALL_PAYMENT_CODE_FIELDS } from './providers/registry.ts';
import { openMigratedStore } from './store/db.ts';
import { getPayment } from './store/payments.ts';
import { loadStoreConfigs, type StoreConfig } from './store/store-config.ts';
import { createPairingCode } from './store/terminals.ts';
import { checkStore } from './wiring/check-store.ts';
import { wireProviders } from './wiring/providers.ts';
import type { Sandbox } from './wiring/sandbox.ts';
import { publicUrlOf } from './wiring/self-url.ts';
import { serverTimeoutOptions } from './wiring/timeouts.ts';

export const BODY_LIMIT = 65_536;

// Header and body fields that carry secrets; pino replaces them before a line is written.
const REDACT = [
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'token',
  '*.token',
  'verifySign',
  '*.verifySign',
  'req.headers["x-staff-pin"]',
  'pin',
  '*.pin',
  // Customer payment codes, under whichever key a provider carries them (its module declares them).
  ...ALL_PAYMENT_CODE_FIELDS.flatMap((f) => [f, `*.${f}`]),
];

export function scrubUrl(url: string): string {
  return (
    url
      .replace(/([?&]pair=)[^&#]*/gi, '$1[redacted]')
      // A customer's wallet payment code in a path or query (the demo wallet page asks the sandbox about its
      // codes) is logged masked, like everywhere else.
      .replace(/[0-9A-Za-z]{12,}/g, (run) => (classifyCode(run).ok ? maskCode(run) : run))
  );
}

export interface BuildOptions<Sim> {
  /** The simulators and their demo values: demo mode needs it; the composition root passes it. */
  sandbox?: Sandbox<Sim>;
  /** Seams in the payment service (crash tests: server/crash-hooks.ts); none in production. */
  paymentHooks?: PaymentHooks;
}

export async function buildApp<Sim>(config: Config<Sim>, opts: BuildOptions<Sim> = {}): Promise<FastifyInstance> {
  if (config.demo && !opts.sandbox)
    throw new ConfigError('DEMO mode needs the sandbox (its simulators serve the providers): start with npm start');
  const stores = loadStoreConfigs(config.storesDir);
  checkStore(config, stores, config.storeId);
  const store = await openMigratedStore(config.databaseUrl);
  try {
    return await assemble(config, stores, store, opts.sandbox, opts.paymentHooks);
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function assemble(
  config: Config,
  stores: Map<string, StoreConfig>,
  store: Awaited<ReturnType<typeof openMigratedStore>>,
  sandbox: Sandbox<unknown> | undefined,
  paymentHooks: PaymentHooks | undefined,
): Promise<FastifyInstance> {
  // HTTPS when TLS_CERT_FILE/TLS_KEY_FILE are set (server/config/tls.ts). The https server has the same API
  // as the http one for everything here; only Fastify's generic type differs.
  const app = Fastify({
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
    logger: {
      level: config.logLevel,
      transport: config.logLevel === 'silent' ? undefined : logTransport(config.logFormat),
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: {
        // The pairing link (/?pair=CODE) is a one-time secret; keep it out of access logs.
        req: (req) => ({ method: req.method, url: scrubUrl(req.url), remoteAddress: req.ip }),
      },
    },
    logController: new QuietRoutineRequests(),
    bodyLimit: BODY_LIMIT,
    frameworkErrors: handleFrameworkError,
    return503OnClosing: true,
    // Server-generated ids in logs; never echo a client-chosen request id header.
    requestIdHeader: false,
    ...serverTimeoutOptions(config.limits.timeouts),
  });

  const metrics = createMetrics(store.db);
  const bus = createEventBus(store, config, app.log, metrics);
  const providers = wireProviders(app, config, sandbox, metrics);
  const adapters = providers.adapters;
  const publicUrl = () => publicUrlOf(app, config);
  // Which instance works which payment and refund: row leases in the database (several proxies, one database).
  const leases = new Leases({
    db: store.db,
    dialect: store.dialect,
    leaseMs: config.reconcile.leaseMs,
    log: app.log,
    tookOver: (table) => metrics.tookOver(table),
  });
  // Follow-ups of cancels, refunds and voids without a verdict: soon at first (staff are waiting), then every 30 s.
  const retry = { initialMs: Math.min(config.poll.initialMs, 1_000), maxMs: 30_000 };
  const cancels = new Cancels({
    db: store.db,
    bus,
    adapters,
    log: app.log,
    retry,
    graceMs: config.reconcile.notFoundGraceMs,
    leases,
    watcher: { watch: (id, opts) => poller.watch(id, opts) },
  });
  const poller = new Poller({
    db: store.db,
    dialect: store.dialect,
    bus,
    adapters,
    cadence: config.poll,
    providers: config.poll.providers,
    log: app.log,
    leases,
    lateWindowMs: config.reconcile.lateWindowMs,
    notFoundGraceMs: config.reconcile.notFoundGraceMs,
    cancels,
  });
  const service = new PaymentService({
    db: store.db,
    bus,
    adapters,
    stores,
    maxAmountMinor: config.maxAmountMinor,
    publicUrl,
    watcher: poller,
    cancels,
    leases,
    hooks: paymentHooks,
  });
  const refunds = new RefundService({ db: store.db, bus, adapters, log: app.log, retry, leases });
  const staffActions = new StaffActions({
    db: store.db,
    bus,
    adapters,
    service,
    refunds,
    watcher: poller,
    log: app.log,
    retry,
    graceMs: config.reconcile.notFoundGraceMs,
    leases,
  });
  const sessions = new StaffSessions(store.db, config.staff.idleMs);
  const staffGate = new StaffGate(
    store.db,
    new StaffDirectory(store.db, config.staff.pins),
    new PinThrottle(store.db, config.staff.limits, Date.now, { reservationMs: config.staff.checkLapseMs }),
    sessions,
    new StaffGrants(store.db),
  );
  const kiosk: Kiosk = {
    config,
    db: store.db,
    bus,
    adapters,
    providers,
    service,
    poller,
    refunds,
    staffActions,
    leases,
    staffGate,
    sessions,
    lastSeen: new LastSeen(store.db),
    stores,
    streams: new SseStreams(config.limits.sse),
    publicUrl,
    async createPairingCode(storeId = config.storeId) {
      if (!stores.has(storeId)) throw new ConfigError(`No store ${storeId} in ${config.storesDir}`);
      const { code, expiresAt } = await createPairingCode(store.db, storeId, config.pairingTtlMs);
      return { code, expiresAt, url: `${config.publicUrl}/?pair=${code}`, storeId };
    },
  };
  app.decorate('kiosk', kiosk);
  app.decorateRequest('terminal', null);

  installJsonBodyParser(app);

  const spa = distAvailable(config.distDir);
  installErrorHandling(app, isSpaRequest, spa ? sendIndex : null);
  installSecurityHeaders(app);
  await installRateLimits(app, config.limits);
  closeConnectionsOnShutdown(app);

  await app.register(healthRoutes);
  await app.register(opsRoutes, {
    metrics,
    metricsToken: config.metricsToken,
    readiness: () => checkReadiness(store.db, store.dialect, undefined, (ms) => bus.listenerReady(ms)),
  });
  await app.register(
    async (api) => {
      api.setValidatorCompiler(schemaValidator);
      await api.register(pairRoutes);
      await api.register(async (authed) => {
        requireTerminal(authed);
        await authed.register(terminalRoutes);
        await authed.register(paymentRoutes);
        await authed.register(historyRoutes);
        await authed.register(orderRoutes);
        await authed.register(eventRoutes);
        await authed.register(attentionRoutes);
        await authed.register(staffRoutes);
        await authed.register(reportRoutes);
        await authed.register(staffSessionRoutes);
        await authed.register(staffMemberRoutes);
        await authed.register(terminalAdminRoutes);
        await authed.register(selfCheckoutRoutes);
      });
    },
    { prefix: '/api' },
  );

  await app.register(webhookRoutes, { prefix: '/webhooks', providers, metrics });
  await app.register(eReceiptRoutes);

  if (config.demo && sandbox) await sandbox.mount(app, { config, stores, publicUrl });
  if (spa) await registerStatic(app, config.distDir, config.demo);

  app.addHook('onReady', async () => {
    await bus.start();
    poller.start();
    // Every instance polls the database for work nobody holds (replaces a scan at boot): due checks,
    // refunds without a verdict, staff actions whose proxy died.
    leases.start({
      lateWindowMs: config.reconcile.lateWindowMs,
      payment: async (id) => {
        const p = await getPayment(store.db, id);
        // A staff action's claim on a payment nobody held: its proxy is gone before it knew the outcome.
        if (p?.claim) {
          if (p.claim.kind === 'cancel') cancels.adopt(id);
          else staffActions.adoptVoid(id);
        }
        await poller.adopt(id);
      },
      refund: (id) => refunds.adopt(id),
    });
  });
  app.addHook('preClose', async () => {
    for (const s of kiosk.streams) s.end();
    kiosk.streams.clear();
    await poller.stop();
    await cancels.stop();
    await refunds.stop();
    await staffActions.stop();
    // After every worker has stopped: the other instances may take this one's payments at once.
    await leases.stop();
  });
  app.addHook('onClose', async () => {
    await bus.close();
    await store.close();
  });
  return app;
}
