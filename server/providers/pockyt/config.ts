// Pockyt's settings (DESIGN §4): production needs all four variables; in demo mode the sandbox's simulator
// serves it, with the sandbox's credentials wherever the variables are unset.
import { int, optionalUrl, requireAll, str, type Env } from '../../config/env.ts';
import type { SettingsContext } from '../types.ts';

export interface PockytSettings {
  /** null = the sandbox's simulator on the port we end up listening on (demo mode, resolved after listen). */
  baseUrl: string | null;
  merchantNo: string;
  storeNo: string;
  token: string;
  timeoutMs: number;
  prepayTimeoutMs: number;
  confirmWindowMs: number;
}

/** What the sandbox supplies in demo mode: where its simulator is mounted and credentials it accepts. */
export interface PockytDemo {
  path: string;
  merchantNo: string;
  storeNo: string;
  token: string;
}

export const POCKYT_VARIABLES = ['POCKYT_BASE_URL', 'POCKYT_MERCHANT_NO', 'POCKYT_STORE_NO', 'POCKYT_TOKEN'] as const;

export function loadPockytSettings(env: Env, ctx: SettingsContext<PockytDemo>): PockytSettings | null {
  const timeouts = {
    timeoutMs: int(env, 'POCKYT_TIMEOUT_MS', 10_000, 100, 120_000),
    prepayTimeoutMs: int(env, 'POCKYT_PREPAY_TIMEOUT_MS', 20_000, 100, 120_000),
    confirmWindowMs: int(env, 'POCKYT_CONFIRM_WINDOW_MS', 90_000, 1_000, 3_600_000),
  };
  const v = {
    POCKYT_BASE_URL: optionalUrl(env, 'POCKYT_BASE_URL'),
    POCKYT_MERCHANT_NO: str(env, 'POCKYT_MERCHANT_NO'),
    POCKYT_STORE_NO: str(env, 'POCKYT_STORE_NO'),
    POCKYT_TOKEN: str(env, 'POCKYT_TOKEN'),
  };
  if (ctx.demo) {
    // Demo credentials come from the same variables when set, so the simulator can be pointed at test values.
    const demo = ctx.sandbox;
    return {
      baseUrl: v.POCKYT_BASE_URL ?? ctx.selfUrl(demo.path),
      merchantNo: v.POCKYT_MERCHANT_NO ?? demo.merchantNo,
      storeNo: v.POCKYT_STORE_NO ?? demo.storeNo,
      token: v.POCKYT_TOKEN ?? demo.token,
      ...timeouts,
    };
  }
  if (!requireAll('Pockyt', v)) return null;
  return {
    baseUrl: v.POCKYT_BASE_URL!,
    merchantNo: v.POCKYT_MERCHANT_NO!,
    storeNo: v.POCKYT_STORE_NO!,
    token: v.POCKYT_TOKEN!,
    ...timeouts,
  };
}
