// Starts the real app (demo mode, real Pockyt simulator over HTTP) on 127.0.0.1:<random port> with an
// in-memory SQLite store and compressed simulator/poller timers, pairs one terminal, and hands back what a
// test needs to talk to it like a kiosk would.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import { sandbox } from '../../../sandbox/index.ts';
import { countPayments } from '../../../server/store/payments.ts';

export interface TestServer {
  app: FastifyInstance;
  baseUrl: string;
  token: string;
  terminalId: string;
  /** Every request path that reached the Pockyt simulator, in order (the proxy's provider calls). */
  simCalls: string[];
  /** Every provider API call that reached any simulator (control routes excluded), with its answer. */
  simLog: SimCall[];
  /** When the Centrapay simulator's JWKS was downloaded (by our webhook intake). */
  jwksFetches: number[];
  countPayments(): Promise<number>;
  close(): Promise<void>;
}

export interface SimCall {
  provider: 'pockyt' | 'centrapay' | 'payby';
  method: string;
  /** Path below /sim/<provider>, query included. */
  path: string;
  status: number;
  /** When the answer went out. */
  at: number;
  /** When the request arrived. */
  receivedAt: number;
  /** The request body as the simulator received it (text), to tell which payment a call was about. */
  body: string;
}

/** The calls in `log` that name any of `names` (our provider reference, an order id) in their path or body.
 *  A "no provider call" check must look only at its own request: the reconciler keeps re-checking earlier
 *  tests' payments in the background (expired ones for a late capture), and those calls land at any time. */
export function callsNaming(log: SimCall[], names: string[]): SimCall[] {
  return log.filter((c) => names.some((n) => c.path.includes(n) || c.body.includes(n)));
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return JSON.stringify(body);
}

export const FAST_ENV: Record<string, string> = {
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: 'sqlite::memory:',
  DEMO: '1',
  LOG_LEVEL: 'silent',
  SIM_POCKYT_PENDING_MS: '300',
  SIM_POCKYT_SLOW_MS: '1500',
  POCKYT_PREPAY_TIMEOUT_MS: '600',
  POCKYT_TIMEOUT_MS: '2000',
  POLL_INITIAL_MS: '100',
  POLL_MAX_MS: '250',
  // Every payment at the fast cadence whether or not a kiosk watches it, and request budgets no test of
  // reconciliation runs into: the suites that prove the budget and the slow cadence set their own.
  POLL_IDLE_MS: '250',
  POLL_RATE_POCKYT: '60000',
  POLL_RATE_CENTRAPAY: '60000',
  POLL_RATE_PAYBY: '60000',
  // A lost request is believed "never created" after 1 s (production: 30 s).
  RECONCILE_NOT_FOUND_GRACE_MS: '1000',
  SSE_HEARTBEAT_MS: '200',
  DIST_DIR: '.test-tmp/no-dist',
};

/** For suites that prove the synchronous answer + poll path on its own (and count provider calls): the
 *  simulator sends no IPNs, so no webhook-triggered query races the test. webhook-*.test.ts covers IPNs. */
export const NO_IPN: Record<string, string> = { SIM_POCKYT_IPN_SCHEDULE_MS: 'none' };

/** TEST_DATABASE_URL=postgres://… runs the server suites on Postgres, each server in a fresh database. */
export async function freshPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kiosk_test_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** `store`: pair the terminal into this store instead of STORE_ID's. `routes`: extra routes a test needs on the
 *  real app (added before it listens). */
export async function startServer(
  env: Record<string, string> = {},
  opts: { store?: string; routes?: (app: FastifyInstance) => void } = {},
): Promise<TestServer> {
  const pgAdmin = process.env.TEST_DATABASE_URL;
  const fresh = pgAdmin && !env.DATABASE_URL ? await freshPostgres(pgAdmin) : null;
  // Like server/main.ts (the composition root): the sandbox comes in through the one seam.
  const config = loadConfig({ ...FAST_ENV, ...(fresh ? { DATABASE_URL: fresh.url } : {}), ...env }, sandbox);
  const app = await buildApp(config, { sandbox });
  const simCalls: string[] = [];
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/sim/pockyt/app-')) simCalls.push(request.url.replace('/sim/pockyt', ''));
  });
  const simLog: SimCall[] = [];
  const jwksFetches: number[] = [];
  app.addHook('onResponse', async (request, reply) => {
    if (request.url === '/sim/centrapay/api/.well-known/jwks.json') jwksFetches.push(Date.now());
    const m = /^\/sim\/(pockyt|centrapay|payby)(\/.*)$/.exec(request.url);
    if (!m || m[2].startsWith('/control/') || m[2].includes('/.well-known/')) return;
    const at = Date.now();
    simLog.push({
      provider: m[1] as SimCall['provider'],
      method: request.method,
      path: m[2],
      status: reply.statusCode,
      at,
      receivedAt: at - reply.elapsedTime,
      body: bodyText(request.body),
    });
  });
  opts.routes?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  let paired: { token: string; terminalId: string };
  try {
    paired = await pair(baseUrl, (await app.kiosk.createPairingCode(opts.store)).code);
  } catch (err) {
    await app.close();
    await fresh?.drop();
    throw err;
  }
  return {
    app,
    baseUrl,
    simCalls,
    simLog,
    jwksFetches,
    ...paired,
    countPayments: () => countPayments(app.kiosk.db),
    close: async () => {
      await app.close();
      await fresh?.drop();
    },
  };
}

export async function pair(baseUrl: string, code: string): Promise<{ token: string; terminalId: string }> {
  const res = await fetch(`${baseUrl}/api/terminals/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  if (res.status !== 201) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; terminalId: string };
}
