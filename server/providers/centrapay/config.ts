// Centrapay's settings (DESIGN §4): production needs all four variables; in demo mode the sandbox's
// simulator serves it (API and JWKS), with the sandbox's credentials wherever the variables are unset.
import { int, optionalUrl, requireAll, str, type Env } from '../../config/env.ts';
import type { SettingsContext } from '../types.ts';

export interface CentrapaySettings {
  /** null = the sandbox's simulator (demo, resolved after listen). */
  baseUrl: string | null;
  apiKey: string;
  configId: string;
  /** Where webhook signing keys are published; null = the simulator's JWKS (demo, resolved after listen). */
  jwksUrl: string | null;
  merchantAccountId?: string;
  /** Names the merchant whose payment activities reconciliation lists (CENTRAPAY_MERCHANT_ID, optional). */
  merchantId?: string;
  /** Sent as terminalId/deviceId on payment requests. */
  terminalId?: string;
  timeoutMs: number;
  confirmWindowMs: number;
  /** The `aud` webhook tokens must carry; null = PUBLIC_URL (resolved after listen). */
  webhookAudience: string | null;
  /** Least time between two JWKS downloads triggered by an unknown `kid` (a forger can send any kid). */
  jwksMinRefreshMs: number;
}

/** What the sandbox supplies in demo mode: where its simulator is mounted and credentials it accepts. */
export interface CentrapayDemo {
  path: string;
  apiKey: string;
  configId: string;
  accountId: string;
}

export const CENTRAPAY_VARIABLES = ['CENTRAPAY_BASE_URL', 'CENTRAPAY_API_KEY', 'CENTRAPAY_CONFIG_ID', 'CENTRAPAY_JWKS_URL'] as const;

/** Centrapay publishes its keys like this (auth.centrapay.com/api/.well-known/jwks.json); so does the simulator. */
export const JWKS_PATH = '/api/.well-known/jwks.json';

/** Tokens carry `aud` = our webhook base URL (spec §10). */
export function webhookAudience(settings: CentrapaySettings, publicUrl: () => string): string {
  return settings.webhookAudience ?? publicUrl();
}

export function loadCentrapaySettings(env: Env, ctx: SettingsContext<CentrapayDemo>): CentrapaySettings | null {
  const common = {
    merchantAccountId: str(env, 'CENTRAPAY_MERCHANT_ACCOUNT_ID'),
    merchantId: str(env, 'CENTRAPAY_MERCHANT_ID'),
    terminalId: str(env, 'CENTRAPAY_TERMINAL_ID'),
    timeoutMs: int(env, 'CENTRAPAY_TIMEOUT_MS', 10_000, 100, 120_000),
    // Centrapay's own expiry is set 5 s inside this window (spec §11), so it must leave room for that.
    confirmWindowMs: int(env, 'CENTRAPAY_CONFIRM_WINDOW_MS', 90_000, 6_000, 86_400_000),
    webhookAudience: optionalUrl(env, 'CENTRAPAY_WEBHOOK_AUDIENCE') ?? null,
    jwksMinRefreshMs: int(env, 'CENTRAPAY_JWKS_MIN_REFRESH_MS', 30_000, 0, 3_600_000),
  };
  const v = {
    CENTRAPAY_BASE_URL: optionalUrl(env, 'CENTRAPAY_BASE_URL'),
    CENTRAPAY_API_KEY: str(env, 'CENTRAPAY_API_KEY'),
    CENTRAPAY_CONFIG_ID: str(env, 'CENTRAPAY_CONFIG_ID'),
    CENTRAPAY_JWKS_URL: optionalUrl(env, 'CENTRAPAY_JWKS_URL'),
  };
  if (ctx.demo) {
    const demo = ctx.sandbox;
    const base = v.CENTRAPAY_BASE_URL ?? ctx.selfUrl(demo.path);
    return {
      ...common,
      baseUrl: base,
      apiKey: v.CENTRAPAY_API_KEY ?? demo.apiKey,
      configId: v.CENTRAPAY_CONFIG_ID ?? demo.configId,
      jwksUrl: v.CENTRAPAY_JWKS_URL ?? (base ? `${base}${JWKS_PATH}` : null),
      merchantAccountId: common.merchantAccountId ?? demo.accountId,
    };
  }
  if (!requireAll('Centrapay', v)) return null;
  return {
    ...common,
    baseUrl: v.CENTRAPAY_BASE_URL!,
    apiKey: v.CENTRAPAY_API_KEY!,
    configId: v.CENTRAPAY_CONFIG_ID!,
    jwksUrl: v.CENTRAPAY_JWKS_URL!,
  };
}
