// PayBy's settings (DESIGN §4): production needs all four variables, and both key files are read and parsed
// at boot. In demo mode the sandbox's simulator serves it: our key is the sandbox's DEMO ONLY fixture unless
// PAYBY_PRIVATE_KEY_FILE says otherwise; PayBy's ("platform") key is the simulator's, made at each start.
import { ConfigError, int, optionalInt, optionalUrl, requireAll, str, type Env } from '../../config/env.ts';
import type { SettingsContext } from '../types.ts';
import { loadPayByKeyFiles, loadPrivateKey, PayByKeyError, readKeyFile } from './signing.ts';

export interface PayBySettings {
  /** null = the sandbox's simulator (demo, resolved after listen). */
  baseUrl: string | null;
  partnerId: string;
  privateKeyPem: string;
  /** PayBy's platform public key; null in demo, where the simulator makes its platform pair at start. */
  platformPublicKeyPem: string | null;
  timeoutMs: number;
  placeOrderTimeoutMs?: number;
  confirmWindowMs: number;
}

/** What the sandbox supplies in demo mode. */
export interface PayByDemo {
  /** Where its simulator's API is mounted on our port. */
  path: string;
  partnerId: string;
  /** Our (merchant) private key: a DEMO ONLY fixture. */
  privateKeyFile: string;
  /** The simulator's platform public key (its pair is made once per process). */
  platformPublicKeyPem(): string;
}

export const PAYBY_VARIABLES = ['PAYBY_BASE_URL', 'PAYBY_PARTNER_ID', 'PAYBY_PRIVATE_KEY_FILE', 'PAYBY_PUBLIC_KEY_FILE'] as const;

/** A key that cannot be read or used stops the boot like any other bad setting. */
export function keyError(err: unknown): never {
  if (err instanceof PayByKeyError) throw new ConfigError(err.message);
  throw err;
}

export function loadPayBySettings(env: Env, ctx: SettingsContext<PayByDemo>): PayBySettings | null {
  const common = {
    timeoutMs: int(env, 'PAYBY_TIMEOUT_MS', 10_000, 100, 120_000),
    placeOrderTimeoutMs: optionalInt(env, 'PAYBY_PLACE_ORDER_TIMEOUT_MS', 100, 120_000),
    confirmWindowMs: int(env, 'PAYBY_CONFIRM_WINDOW_MS', 120_000, 1_000, 86_400_000),
  };
  const v = {
    PAYBY_BASE_URL: optionalUrl(env, 'PAYBY_BASE_URL'),
    PAYBY_PARTNER_ID: str(env, 'PAYBY_PARTNER_ID'),
    PAYBY_PRIVATE_KEY_FILE: str(env, 'PAYBY_PRIVATE_KEY_FILE'),
    PAYBY_PUBLIC_KEY_FILE: str(env, 'PAYBY_PUBLIC_KEY_FILE'),
  };
  try {
    if (ctx.demo) {
      const demo = ctx.sandbox;
      const privateKeyPem = readKeyFile(v.PAYBY_PRIVATE_KEY_FILE ?? demo.privateKeyFile, 'PAYBY_PRIVATE_KEY_FILE');
      loadPrivateKey(privateKeyPem, 'PAYBY_PRIVATE_KEY_FILE');
      return {
        ...common,
        baseUrl: v.PAYBY_BASE_URL ?? ctx.selfUrl(demo.path),
        partnerId: v.PAYBY_PARTNER_ID ?? demo.partnerId,
        privateKeyPem,
        platformPublicKeyPem: null,
      };
    }
    if (!requireAll('PayBy', v)) return null;
    // Keys are read and parsed now: a wrong or unreadable key stops the boot, not the first sale.
    const keys = loadPayByKeyFiles({ privateKeyFile: v.PAYBY_PRIVATE_KEY_FILE!, publicKeyFile: v.PAYBY_PUBLIC_KEY_FILE! });
    return { ...common, baseUrl: v.PAYBY_BASE_URL!, partnerId: v.PAYBY_PARTNER_ID!, ...keys };
  } catch (err) {
    return keyError(err);
  }
}
