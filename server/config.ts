import { readFileSync } from 'node:fs';
import { bool, ConfigError, httpUrl, int, msList, str } from './config/env.ts';
import {
  centrapaySettings, paybySettings, pockytSettings, PROVIDER_CREDENTIAL_VARS, simCentrapaySigningKey, simPayByMerchantPublicKey,
  type CentrapaySettings, type PayBySettings, type PockytSettings,
} from './config/providers.ts';
import { pollSettings, type PollSettings } from './config/polling.ts';
import { staffSettings, type StaffSettings } from './config/staff.ts';

// Boot-time configuration (DESIGN §4). Everything comes from the environment, is validated once, and a
// bad value stops the process with a message that names the variable — a kiosk proxy that half-starts
// with a typo in a provider key is worse than one that refuses to start.

export { ConfigError, selfHost } from './config/env.ts';
export { DEMO_SUPERVISOR_PIN, type StaffSettings } from './config/staff.ts';
export { DEMO_POCKYT, type CentrapaySettings, type PayBySettings, type PockytSettings } from './config/providers.ts';

export interface SimSettings {
  /** ipnScheduleMs: delay before each IPN attempt by the simulator ([] = the simulator sends none). */
  pockyt: { pendingMs: number; slowMs: number; codeTtlMs: number; ipnScheduleMs: number[] | undefined };
  centrapay: {
    pendingMs: number; codeTtlMs: number; secondMs: number; rateLimit: number; rateWindowMs: number; luhnCheck: boolean;
    notifyScheduleMs: number[] | undefined; signingKeyPem: string | undefined; signingKid: string | undefined;
  };
  payby: {
    pendingMs: number; slowMs: number; codeTtlMs: number; tokenTtlMs: number; refundCompleteMs: number;
    notifyScheduleMs: number[] | undefined;
    /** The merchant public key the simulator checks our `sign` with (null outside demo). */
    merchantPublicKeyPem: string | null;
  };
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
  poll: PollSettings;
  /** lateWindowMs: how long after creation an `expired` payment is still re-checked for a late capture.
   *  notFoundGraceMs: how long after creation a provider's "no such payment" is not yet believed — a request
   *  sent by a process that crashed can still be on its way (or queued at the provider). */
  reconcile: { lateWindowMs: number; notFoundGraceMs: number };
  staff: StaffSettings;
  /** Each null when that provider is not configured (not in demo mode and none of its variables set). */
  pockyt: PockytSettings | null;
  centrapay: CentrapaySettings | null;
  payby: PayBySettings | null;
  sim: SimSettings;
  version: string;
}

type Env = NodeJS.ProcessEnv;

function databaseUrl(env: Env): string {
  const raw = str(env, 'DATABASE_URL') ?? 'sqlite:./data/kiosk.db';
  if (/^sqlite:.+/.test(raw) || /^postgres(ql)?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError(
    `DATABASE_URL must look like sqlite:./data/kiosk.db, sqlite::memory: or postgres://user:pass@host/db, got ${JSON.stringify(raw.replace(/\/\/[^@]*@/, '//***@'))}`,
  );
}

function simSettings(env: Env, demo: boolean, payby: PayBySettings | null): SimSettings {
  const codeTtl = int(env, 'SIM_CODE_TTL_MS', 60_000, 100, 3_600_000);
  return {
    pockyt: {
      pendingMs: int(env, 'SIM_POCKYT_PENDING_MS', 3_000, 0, 3_600_000),
      slowMs: int(env, 'SIM_POCKYT_SLOW_MS', 25_000, 0, 3_600_000),
      codeTtlMs: codeTtl,
      ipnScheduleMs: msList(env, 'SIM_POCKYT_IPN_SCHEDULE_MS'),
    },
    centrapay: {
      pendingMs: int(env, 'SIM_CENTRAPAY_PENDING_MS', 3_000, 0, 3_600_000),
      // Centrapay patron codes live about 5 minutes (spec §6).
      codeTtlMs: int(env, 'SIM_CENTRAPAY_CODE_TTL_MS', 300_000, 100, 3_600_000),
      secondMs: int(env, 'SIM_CENTRAPAY_SECOND_MS', 1_000, 1, 60_000),
      rateLimit: int(env, 'SIM_CENTRAPAY_RATE_LIMIT', 200, 1, 1_000_000),
      rateWindowMs: int(env, 'SIM_CENTRAPAY_RATE_WINDOW_MS', 60_000, 100, 3_600_000),
      luhnCheck: bool(env, 'SIM_CENTRAPAY_LUHN_CHECK') ?? true,
      notifyScheduleMs: msList(env, 'SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS'),
      signingKeyPem: demo ? simCentrapaySigningKey(env) : undefined,
      signingKid: str(env, 'SIM_CENTRAPAY_SIGNING_KID'),
    },
    payby: {
      pendingMs: int(env, 'SIM_PAYBY_PENDING_MS', 3_000, 0, 3_600_000),
      slowMs: int(env, 'SIM_PAYBY_SLOW_MS', 30_000, 0, 3_600_000),
      codeTtlMs: int(env, 'SIM_PAYBY_CODE_TTL_MS', codeTtl, 100, 3_600_000),
      tokenTtlMs: int(env, 'SIM_PAYBY_TOKEN_TTL_MS', 3_600_000, 100, 86_400_000),
      refundCompleteMs: int(env, 'SIM_PAYBY_REFUND_COMPLETE_MS', 2_000, 0, 3_600_000),
      notifyScheduleMs: msList(env, 'SIM_PAYBY_NOTIFY_SCHEDULE_MS'),
      merchantPublicKeyPem: demo ? simPayByMerchantPublicKey(env, payby) : null,
    },
  };
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
  const where = { demo, port, host };
  const payby = paybySettings(env, where);
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
    poll: pollSettings(env),
    reconcile: {
      lateWindowMs: int(env, 'RECONCILE_LATE_WINDOW_MS', 2 * 3_600_000, 0, 7 * 24 * 3_600_000),
      notFoundGraceMs: int(env, 'RECONCILE_NOT_FOUND_GRACE_MS', 30_000, 0, 3_600_000),
    },
    staff: staffSettings(env, demo),
    pockyt: pockytSettings(env, where),
    centrapay: centrapaySettings(env, where),
    payby,
    sim: simSettings(env, demo, payby),
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
