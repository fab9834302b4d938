// Centrapay sandbox as a Fastify plugin: the Payment Requests API (paths, X-Api-Key, statuses, error
// bodies, rate limit, quirks) and signed webhooks with a JWKS endpoint, all in memory. The core registers
// it with `app.register(centrapaySimulator, { prefix: '/sim/centrapay', ...opts })`.
import type { FastifyInstance } from 'fastify';
import { FaultBook } from '../common/faults.ts';
import { SimTimers } from '../common/timers.ts';
import { registerActionRoutes } from './actions.ts';
import { registerCodeRoutes } from './codes.ts';
import type { SimContext } from './context.ts';
import { registerControlRoutes } from './control.ts';
import { createRequest } from './create.ts';
import { createSimSigner } from './keys.ts';
import { Ledger } from './ledger.ts';
import { createNotifier, DEFAULT_NOTIFY_SCHEDULE_MS, type WebhookTarget } from './notify.ts';
import { API_PATHS, errorBody, PATHS } from './protocol.ts';
import { RateLimiter } from './rate-limit.ts';
import { registerReadRoutes } from './read.ts';
import { registerActivityListRoute } from './activity-list.ts';
import { registerApiRoute } from './route.ts';

export interface CentrapaySimOptions {
  /** The merchant-terminal API key the simulator accepts in `X-Api-Key`. */
  apiKey: string;
  /** The merchant config id requests must name. */
  configId: string;
  accountId?: string;
  merchantId?: string;
  /** Shown on the wallet page and in `merchantName`. Default 'Demo Café'. */
  merchantName?: string;
  /** Reject patron codes whose Luhn digit is wrong (400 CHECKSUM_FAILED). Default true; the docs' own
   *  example code fails Luhn, so turn it off to accept that one. */
  luhnCheck?: boolean;
  /** Patron code validity (wallet-issued codes). Default 300000 (the docs' example: 5 minutes). */
  codeTtlMs?: number;
  /** Test-code scenarios 0002/0003: time before the patron declines/approves. Default 3000. */
  pendingMs?: number;
  /** Length of one second of `expirySeconds` (and of the 24 h void window), to compress expiry in tests.
   *  Default 1000. `expiresAt` in answers is on the real clock, so countdowns stay truthful. */
  secondMs?: number;
  /** Requests per window per account before 429. Default 200 (per 60000 ms, spec §8). */
  rateLimit?: number;
  rateWindowMs?: number;
  /** Webhook subscription. A function is read at each notification (the core's port is known late). */
  webhook?: WebhookTarget | (() => WebhookTarget | undefined);
  /** Delay before each webhook attempt; its length is the number of attempts. Default: two weeks, doubling. */
  notifyRetryScheduleMs?: number[];
  /** PKCS#8 PEM of the P-256 signing key and its kid; default: a fresh key made at start. */
  signingKeyPem?: string;
  signingKid?: string;
  /** Origin put in request `url`s (the patron pay page); default the origin the API was called on. */
  payUrlBase?: string;
}

export async function centrapaySimulator(app: FastifyInstance, opts: CentrapaySimOptions): Promise<void> {
  for (const k of ['apiKey', 'configId'] as const) {
    if (typeof opts[k] !== 'string' || opts[k] === '') throw new Error(`centrapaySimulator: option ${k} is required`);
  }
  // Parsers in this plugin's context only: an empty JSON body (void is sent without one by some clients)
  // is no body, and an unreadable one becomes Centrapay's 400, not Fastify's.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (req.url.includes('/control/')) {
      return reply
        .code(status)
        .send({ error: { code: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'Simulator error' : err.message } });
    }
    return reply
      .code(status)
      .send(errorBody(status, status === 500 ? 'Internal Server Error' : 'Bad Request', status === 500 ? undefined : err.message));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody(404, 'Not Found')));

  const timers = new SimTimers();
  const subscription = opts.webhook;
  const notify = createNotifier({ ctx: () => ctx, scheduleMs: opts.notifyRetryScheduleMs ?? DEFAULT_NOTIFY_SCHEDULE_MS });
  const webhook = {
    fixed: typeof subscription === 'function' ? undefined : subscription,
    get current(): WebhookTarget | undefined {
      return this.fixed ?? (typeof subscription === 'function' ? subscription() : undefined);
    },
    set current(v: WebhookTarget | undefined) {
      this.fixed = v;
    },
  };
  const ctx: SimContext = {
    apiKey: opts.apiKey,
    configId: opts.configId,
    accountId: opts.accountId ?? 'SimAcct0Demo0Cafe0001',
    merchantId: opts.merchantId ?? 'SimMerchant0DemoCafe01',
    merchantName: opts.merchantName ?? 'Demo Café',
    luhnCheck: opts.luhnCheck ?? true,
    codeTtlMs: opts.codeTtlMs ?? 300_000,
    pendingMs: opts.pendingMs ?? 3000,
    timers,
    ledger: new Ledger({ timers, secondMs: opts.secondMs ?? 1000, onActivity: (r, a) => notify(r, a) }),
    faults: new FaultBook((p) => (API_PATHS.includes(p) ? null : `path must be one of ${API_PATHS.join(', ')}`)),
    limiter: new RateLimiter(opts.rateLimit ?? 200, opts.rateWindowMs ?? 60_000),
    signer: await createSimSigner({ privateKeyPem: opts.signingKeyPem, kid: opts.signingKid }),
    webhook,
    prefix: app.prefix,
    payUrlBase: opts.payUrlBase,
  };

  registerApiRoute(app, ctx, 'POST', PATHS.create, (req, origin) => createRequest(ctx, req, origin));
  registerReadRoutes(app, ctx);
  registerActivityListRoute(app, ctx);
  registerActionRoutes(app, ctx);
  registerCodeRoutes(app, ctx);
  registerControlRoutes(app, ctx);

  // Like auth.centrapay.com/api/.well-known/jwks.json: public, cacheable, outside the API key and rate limit.
  app.get('/api/.well-known/jwks.json', async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(ctx.signer.jwks()),
  );

  // preClose: before the server waits for in-flight requests, wake any delayed answer and stop timers.
  app.addHook('preClose', async () => timers.shutdown());
}
