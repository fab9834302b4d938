import { readFileSync } from 'node:fs';

// Boot-time configuration (DESIGN §4). Everything comes from the environment, is validated once, and a
// bad value stops the process with a message that names the variable — a kiosk proxy that half-starts
// with a typo in a provider key is worse than one that refuses to start.

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface PockytSettings {
  /** null = our own simulator on the port we end up listening on (demo mode, resolved after listen). */
  baseUrl: string | null;
  merchantNo: string;
  storeNo: string;
  token: string;
  timeoutMs: number;
  prepayTimeoutMs: number;
  confirmWindowMs: number;
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  publicUrl: string;
  demo: boolean;
  logLevel: string;
  storeId: string;
  storesDir: string;
  distDir: string;
  maxAmountMinor: number;
  pairingTtlMs: number;
  sseHeartbeatMs: number;
  poll: { initialMs: number; maxMs: number };
  /** How long after creation an `expired` payment is still re-checked for a late capture. */
  reconcile: { lateWindowMs: number };
  /** null when Pockyt is not configured (not in demo mode and no POCKYT_* credentials). */
  pockyt: PockytSettings | null;
  /** ipnScheduleMs: delay before each IPN attempt by the simulator ([] = the simulator sends none). */
  sim: { pockyt: { pendingMs: number; slowMs: number; codeTtlMs: number; ipnScheduleMs: number[] | undefined } };
  version: string;
}

/** Sandbox credentials our simulator accepts in demo mode. Not secret: they only open the local simulator. */
export const DEMO_POCKYT = { merchantNo: '200043', storeNo: '300014', token: 'demo0pockyt0sandbox0token0000000' } as const;

const PROVIDER_CREDENTIAL_VARS = [
  'POCKYT_BASE_URL', 'POCKYT_MERCHANT_NO', 'POCKYT_STORE_NO', 'POCKYT_TOKEN',
  'CENTRAPAY_API_KEY', 'CENTRAPAY_CONFIG_ID', 'PAYBY_PARTNER_ID', 'PAYBY_PRIVATE_KEY_FILE',
] as const;

type Env = NodeJS.ProcessEnv;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function int(env: Env, name: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${raw}`);
  }
  return n;
}

function bool(env: Env, name: string): boolean | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  const l = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(l)) return true;
  if (['0', 'false', 'no', 'off'].includes(l)) return false;
  throw new ConfigError(`${name} must be 1/true or 0/false, got ${JSON.stringify(raw)}`);
}

/** "0,15000,60000" → [0, 15000, 60000]; "none" → [] (no attempts); unset → undefined (the default). */
function msList(env: Env, name: string): number[] | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === 'none') return [];
  const parts = raw.split(',').map((x) => x.trim());
  if (parts.length > 20 || parts.some((x) => !/^\d{1,8}$/.test(x))) {
    throw new ConfigError(`${name} must be a comma-separated list of up to 20 delays in ms (e.g. 0,15000,60000) or "none", got ${JSON.stringify(raw)}`);
  }
  return parts.map(Number);
}

function httpUrl(name: string, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(`${name} must use http or https, got ${JSON.stringify(raw)}`);
  }
  return raw.replace(/\/+$/, '');
}

function databaseUrl(env: Env): string {
  const raw = str(env, 'DATABASE_URL') ?? 'sqlite:./data/kiosk.db';
  if (/^sqlite:.+/.test(raw) || /^postgres(ql)?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError(
    `DATABASE_URL must look like sqlite:./data/kiosk.db, sqlite::memory: or postgres://user:pass@host/db, got ${JSON.stringify(raw.replace(/\/\/[^@]*@/, '//***@'))}`,
  );
}

/** How this process reaches itself (the demo adapter calling our own simulator) given the bind address. */
export function selfHost(host: string): string {
  if (['0.0.0.0', '::', '127.0.0.1', 'localhost', ''].includes(host)) return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function pockyt(env: Env, demo: boolean, port: number, host: string): PockytSettings | null {
  const timeouts = {
    timeoutMs: int(env, 'POCKYT_TIMEOUT_MS', 10_000, 100, 120_000),
    prepayTimeoutMs: int(env, 'POCKYT_PREPAY_TIMEOUT_MS', 20_000, 100, 120_000),
    confirmWindowMs: int(env, 'POCKYT_CONFIRM_WINDOW_MS', 90_000, 1_000, 3_600_000),
  };
  const baseRaw = str(env, 'POCKYT_BASE_URL');
  const baseUrl = baseRaw === undefined ? undefined : httpUrl('POCKYT_BASE_URL', baseRaw);
  const merchantNo = str(env, 'POCKYT_MERCHANT_NO');
  const storeNo = str(env, 'POCKYT_STORE_NO');
  const token = str(env, 'POCKYT_TOKEN');
  if (demo) {
    // Demo credentials come from the same variables when set, so the simulator can be pointed at test values.
    return {
      baseUrl: baseUrl ?? (port === 0 ? null : `http://${selfHost(host)}:${port}/sim/pockyt`),
      merchantNo: merchantNo ?? DEMO_POCKYT.merchantNo,
      storeNo: storeNo ?? DEMO_POCKYT.storeNo,
      token: token ?? DEMO_POCKYT.token,
      ...timeouts,
    };
  }
  if (!baseUrl && !merchantNo && !storeNo && !token) return null;
  const missing = (
    [['POCKYT_BASE_URL', baseUrl], ['POCKYT_MERCHANT_NO', merchantNo], ['POCKYT_STORE_NO', storeNo], ['POCKYT_TOKEN', token]] as const
  ).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new ConfigError(`Pockyt is partly configured: set ${missing.join(', ')} (or DEMO=1 for the simulator)`);
  return { baseUrl: baseUrl!, merchantNo: merchantNo!, storeNo: storeNo!, token: token!, ...timeouts };
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const port = int(env, 'PORT', 8080, 0, 65_535);
  const host = str(env, 'HOST') ?? '127.0.0.1';
  const hasCredentials = PROVIDER_CREDENTIAL_VARS.some((k) => str(env, k) !== undefined);
  const demo = bool(env, 'DEMO') ?? !hasCredentials;
  const storeId = str(env, 'STORE_ID') ?? 'demo-us';
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(storeId)) {
    throw new ConfigError(`STORE_ID must be lower-case letters, digits and dashes (a file in config/stores/), got ${JSON.stringify(storeId)}`);
  }
  const logLevel = str(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal,error,warn,info,debug,trace,silent, got ${JSON.stringify(logLevel)}`);
  }
  const pollInitial = int(env, 'POLL_INITIAL_MS', 1_000, 10, 600_000);
  const pollMax = int(env, 'POLL_MAX_MS', 5_000, 10, 3_600_000);
  if (pollMax < pollInitial) throw new ConfigError(`POLL_MAX_MS (${pollMax}) must not be below POLL_INITIAL_MS (${pollInitial})`);
  return {
    port,
    host,
    databaseUrl: databaseUrl(env),
    publicUrl: httpUrl('PUBLIC_URL', str(env, 'PUBLIC_URL') ?? `http://localhost:${port}`),
    demo,
    logLevel,
    storeId,
    storesDir: str(env, 'STORES_DIR') ?? 'config/stores',
    distDir: str(env, 'DIST_DIR') ?? 'dist',
    maxAmountMinor: int(env, 'MAX_AMOUNT_MINOR', 1_000_000, 1, 2 ** 31 - 1),
    pairingTtlMs: int(env, 'PAIRING_TTL_MS', 10 * 60_000, 1_000, 24 * 3_600_000),
    sseHeartbeatMs: int(env, 'SSE_HEARTBEAT_MS', 15_000, 50, 600_000),
    poll: { initialMs: pollInitial, maxMs: pollMax },
    reconcile: { lateWindowMs: int(env, 'RECONCILE_LATE_WINDOW_MS', 2 * 3_600_000, 0, 7 * 24 * 3_600_000) },
    pockyt: pockyt(env, demo, port, host),
    sim: {
      pockyt: {
        pendingMs: int(env, 'SIM_POCKYT_PENDING_MS', 3_000, 0, 3_600_000),
        slowMs: int(env, 'SIM_POCKYT_SLOW_MS', 25_000, 0, 3_600_000),
        codeTtlMs: int(env, 'SIM_CODE_TTL_MS', 60_000, 100, 3_600_000),
        ipnScheduleMs: msList(env, 'SIM_POCKYT_IPN_SCHEDULE_MS'),
      },
    },
    version: packageVersion(),
  };
}

function packageVersion(): string {
  try {
    return String(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}
