import { readFileSync } from 'node:fs';
import { bool, ConfigError, httpUrl, int, selfHost, str, type Env } from './config/env.ts';
import { pollSettings, type PollSettings } from './config/polling.ts';
import { defaultPublicUrl } from './config/public-url.ts';
import { logFormat, type LogFormat } from './config/logging.ts';
import { tlsSettings, type TlsFiles } from './config/tls.ts';
import { limitSettings, type LimitSettings } from './config/limits.ts';
import { staffSettings, type StaffSettings } from './config/staff.ts';
import { providerModules, type ProviderSettingsMap } from './providers/registry.ts';
import type { Sandbox } from './wiring/sandbox.ts';

// Boot-time configuration (DESIGN §4). Everything comes from the environment, is validated once, and a
// bad value stops the process with a message that names the variable — a kiosk proxy that half-starts
// with a typo in a provider key is worse than one that refuses to start. Each provider reads its own
// variables (server/providers/<name>/config.ts); demo values and SIM_* settings come from the sandbox.

export { ConfigError, selfHost } from './config/env.ts';
export { DEMO_SUPERVISOR_PIN, type StaffSettings } from './config/staff.ts';
export type { LimitSettings } from './config/limits.ts';

export interface Config<Sim = unknown> {
  port: number;
  host: string;
  databaseUrl: string;
  publicUrl: string;
  /** Certificate and key when the proxy serves HTTPS itself (TLS_CERT_FILE, TLS_KEY_FILE); null: plain HTTP. */
  tls: TlsFiles | null;
  demo: boolean;
  logLevel: string;
  /** pretty (one readable line per event) or json: server/config/logging.ts. */
  logFormat: LogFormat;
  storeId: string;
  storesDir: string;
  distDir: string;
  maxAmountMinor: number;
  pairingTtlMs: number;
  sseHeartbeatMs: number;
  /** Postgres: first delay before the event listener reconnects (doubling to 5 s, or to this if longer). */
  listenReconnectMs: number;
  poll: PollSettings;
  /** lateWindowMs: how long after creation an `expired` payment is still re-checked for a late capture.
   *  notFoundGraceMs: how long after creation a provider's "no such payment" is not yet believed — a request
   *  sent by a process that crashed can still be on its way (or queued at the provider).
   *  leaseMs: how long an instance's claim on a payment lasts unrenewed (LEASE_MS). */
  reconcile: { lateWindowMs: number; notFoundGraceMs: number; leaseMs: number };
  staff: StaffSettings;
  /** SELF_CHECKOUT_IDLE_MS: a self-checkout kiosk untouched this long asks "Still there?", then starts over. */
  selfCheckoutIdleMs: number;
  /** Request rates, SSE stream caps and server timeouts (server/config/limits.ts). */
  limits: LimitSettings;
  /** Bearer token GET /metrics requires; null: /metrics answers loopback requests only (routes/ops.ts). */
  metricsToken: string | null;
  /** Each provider's settings by name; null when it is not configured (not in demo mode and none of its
   *  variables set, or demo mode without a sandbox to simulate it). */
  providers: ProviderSettingsMap;
  /** The sandbox's own settings (SIM_* variables); undefined without a sandbox. */
  sim: Sim;
  version: string;
}

function databaseUrl(env: Env): string {
  const raw = str(env, 'DATABASE_URL') ?? 'sqlite:./data/kiosk.db';
  if (/^sqlite:.+/.test(raw) || /^postgres(ql)?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError(
    `DATABASE_URL must look like sqlite:./data/kiosk.db, sqlite::memory: or postgres://user:pass@host/db, got ${JSON.stringify(raw.replace(/\/\/[^@]*@/, '//***@'))}`,
  );
}

/** Every provider's settings, each read by its own module. Demo mode: the sandbox's simulator serves a
 *  provider with the sandbox's values; a provider the sandbox does not simulate is not configured. */
function loadProviders(
  env: Env,
  where: { demo: boolean; port: number; host: string; https: boolean },
  sandbox: Sandbox<unknown> | undefined,
): ProviderSettingsMap {
  const scheme = where.https ? 'https' : 'http';
  const selfUrl = (path: string) => (where.port === 0 ? null : `${scheme}://${selfHost(where.host)}:${where.port}${path}`);
  const settings: Record<string, unknown> = {};
  for (const m of providerModules) {
    const demo = sandbox?.demo[m.name];
    if (!where.demo) settings[m.name] = m.loadSettings(env, { demo: false });
    else settings[m.name] = demo === undefined ? null : m.loadSettings(env, { demo: true, sandbox: demo, selfUrl });
  }
  return settings as ProviderSettingsMap;
}

export function loadConfig(env: Env): Config<undefined>;
export function loadConfig<Sim>(env: Env, sandbox: Sandbox<Sim>): Config<Sim>;
export function loadConfig<Sim>(env: Env, sandbox?: Sandbox<Sim>): Config<Sim | undefined> {
  const port = int(env, 'PORT', 8080, 0, 65_535);
  const host = str(env, 'HOST') ?? '127.0.0.1';
  const hasCredentials = providerModules.some((m) => m.variables.some((k) => str(env, k) !== undefined));
  const demo = bool(env, 'DEMO') ?? !hasCredentials;
  const storeId = str(env, 'STORE_ID') ?? 'demo-us';
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(storeId)) {
    throw new ConfigError(
      `STORE_ID must be lower-case letters, digits and dashes (a file in config/stores/), got ${JSON.stringify(storeId)}`,
    );
  }
  const logLevel = str(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal,error,warn,info,debug,trace,silent, got ${JSON.stringify(logLevel)}`);
  }
  const tls = tlsSettings(env);
  const providers = loadProviders(env, { demo, port, host, https: tls !== null }, sandbox);
  const sseHeartbeatMs = int(env, 'SSE_HEARTBEAT_MS', 15_000, 50, 600_000);
  return {
    port,
    host,
    databaseUrl: databaseUrl(env),
    publicUrl: httpUrl('PUBLIC_URL', str(env, 'PUBLIC_URL') ?? defaultPublicUrl(host, port, tls !== null)),
    tls,
    demo,
    logLevel,
    logFormat: logFormat(env, process.stdout.isTTY === true),
    storeId,
    storesDir: str(env, 'STORES_DIR') ?? 'config/stores',
    distDir: str(env, 'DIST_DIR') ?? 'dist',
    maxAmountMinor: int(env, 'MAX_AMOUNT_MINOR', 1_000_000, 1, 2 ** 31 - 1),
    pairingTtlMs: int(env, 'PAIRING_TTL_MS', 10 * 60_000, 1_000, 24 * 3_600_000),
    sseHeartbeatMs,
    listenReconnectMs: int(env, 'LISTEN_RECONNECT_MS', 100, 10, 60_000),
    poll: pollSettings(env),
    reconcile: {
      lateWindowMs: int(env, 'RECONCILE_LATE_WINDOW_MS', 2 * 3_600_000, 0, 7 * 24 * 3_600_000),
      notFoundGraceMs: int(env, 'RECONCILE_NOT_FOUND_GRACE_MS', 30_000, 0, 3_600_000),
      // How long an instance's claim on a payment or refund lasts unrenewed (payments/leases.ts): how soon
      // another instance takes over the work of one that died.
      leaseMs: int(env, 'LEASE_MS', 10_000, 300, 600_000),
    },
    staff: staffSettings(env, demo),
    // 60 s: long enough to fetch a phone and open the wallet, short enough that the next customer does not
    // find someone else's basket. At least 5 s: the countdown alone takes a quarter of it.
    selfCheckoutIdleMs: int(env, 'SELF_CHECKOUT_IDLE_MS', 60_000, 5_000, 3_600_000),
    limits: limitSettings(env, sseHeartbeatMs),
    metricsToken: metricsToken(env),
    providers,
    sim: sandbox?.loadSettings(env, { demo, providers }),
    version: packageVersion(),
  };
}

function metricsToken(env: Env): string | null {
  const token = str(env, 'METRICS_TOKEN');
  if (token === undefined) return null;
  // Guessable tokens would make the payment counts public; a short one is a typo or a placeholder.
  if (token.length < 16 || /\s/.test(token)) {
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters without spaces (e.g. the output of `openssl rand -hex 24`)');
  }
  return token;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return String(pkg.version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}
