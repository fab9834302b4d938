// Provider sections of the boot config (DESIGN §4). Production: a provider is configured when all of its
// required variables are set; some but not all → the boot stops naming the missing ones. Demo: every
// provider points at our own simulator (base URL resolved after listen when PORT=0) with sandbox credentials,
// which the same variables override.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS } from '../../sandbox/centrapay/standalone.ts';
import { loadPayByKeyFiles, loadPrivateKey, PayByKeyError, readKeyFile } from '../providers/payby/signing.ts';
import { DEMO_MERCHANT_PRIVATE_KEY_FILE, DEMO_PARTNER_ID } from '../../sandbox/payby/keys.ts';
import { ConfigError, int, optionalInt, optionalUrl, requireAll, selfHost, str, type Env } from './env.ts';

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

export interface CentrapaySettings {
  /** null = our own simulator (demo, resolved after listen). */
  baseUrl: string | null;
  apiKey: string;
  configId: string;
  /** Where webhook signing keys are published; null = our simulator's JWKS (demo, resolved after listen). */
  jwksUrl: string | null;
  merchantAccountId?: string;
  /** Sent as terminalId/deviceId on payment requests. */
  terminalId?: string;
  timeoutMs: number;
  confirmWindowMs: number;
  /** The `aud` webhook tokens must carry; null = PUBLIC_URL (resolved after listen). */
  webhookAudience: string | null;
  /** Least time between two JWKS downloads triggered by an unknown `kid` (a forger can send any kid). */
  jwksMinRefreshMs: number;
}

export interface PayBySettings {
  /** null = our own simulator (demo, resolved after listen). */
  baseUrl: string | null;
  partnerId: string;
  privateKeyPem: string;
  /** PayBy's platform public key; null in demo, where the simulator makes its platform pair at start. */
  platformPublicKeyPem: string | null;
  timeoutMs: number;
  placeOrderTimeoutMs?: number;
  confirmWindowMs: number;
}

/** Sandbox credentials our Pockyt simulator accepts in demo mode. Not secret: they only open the local simulator. */
export const DEMO_POCKYT = { merchantNo: '200043', storeNo: '300014', token: 'demo0pockyt0sandbox0token0000000' } as const;

export const PROVIDER_CREDENTIAL_VARS = [
  'POCKYT_BASE_URL', 'POCKYT_MERCHANT_NO', 'POCKYT_STORE_NO', 'POCKYT_TOKEN',
  'CENTRAPAY_BASE_URL', 'CENTRAPAY_API_KEY', 'CENTRAPAY_CONFIG_ID', 'CENTRAPAY_JWKS_URL',
  'PAYBY_BASE_URL', 'PAYBY_PARTNER_ID', 'PAYBY_PRIVATE_KEY_FILE', 'PAYBY_PUBLIC_KEY_FILE',
] as const;

export interface Where {
  demo: boolean;
  port: number;
  host: string;
}

/** `<self>/sim/<path>` when the port is known now; null when it is only known after listen (PORT=0). */
function simUrl(w: Where, path: string): string | null {
  return w.port === 0 ? null : `http://${selfHost(w.host)}:${w.port}/sim/${path}`;
}

export function pockytSettings(env: Env, w: Where): PockytSettings | null {
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
  if (w.demo) {
    // Demo credentials come from the same variables when set, so the simulator can be pointed at test values.
    return {
      baseUrl: v.POCKYT_BASE_URL ?? simUrl(w, 'pockyt'),
      merchantNo: v.POCKYT_MERCHANT_NO ?? DEMO_POCKYT.merchantNo,
      storeNo: v.POCKYT_STORE_NO ?? DEMO_POCKYT.storeNo,
      token: v.POCKYT_TOKEN ?? DEMO_POCKYT.token,
      ...timeouts,
    };
  }
  if (!requireAll('Pockyt', v)) return null;
  return { baseUrl: v.POCKYT_BASE_URL!, merchantNo: v.POCKYT_MERCHANT_NO!, storeNo: v.POCKYT_STORE_NO!, token: v.POCKYT_TOKEN!, ...timeouts };
}

export function centrapaySettings(env: Env, w: Where): CentrapaySettings | null {
  const common = {
    merchantAccountId: str(env, 'CENTRAPAY_MERCHANT_ACCOUNT_ID'),
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
  if (w.demo) {
    const base = v.CENTRAPAY_BASE_URL ?? simUrl(w, 'centrapay');
    return {
      ...common,
      baseUrl: base,
      apiKey: v.CENTRAPAY_API_KEY ?? DEMO_CREDENTIALS.apiKey,
      configId: v.CENTRAPAY_CONFIG_ID ?? DEMO_CREDENTIALS.configId,
      jwksUrl: v.CENTRAPAY_JWKS_URL ?? (base ? `${base}/api/.well-known/jwks.json` : null),
      merchantAccountId: common.merchantAccountId ?? DEMO_ACCOUNT_ID,
    };
  }
  if (!requireAll('Centrapay', v)) return null;
  return { ...common, baseUrl: v.CENTRAPAY_BASE_URL!, apiKey: v.CENTRAPAY_API_KEY!, configId: v.CENTRAPAY_CONFIG_ID!, jwksUrl: v.CENTRAPAY_JWKS_URL! };
}

function keyError(err: unknown): never {
  if (err instanceof PayByKeyError) throw new ConfigError(err.message);
  throw err;
}

export function paybySettings(env: Env, w: Where): PayBySettings | null {
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
    if (w.demo) {
      // Our key: the DEMO ONLY fixture unless PAYBY_PRIVATE_KEY_FILE says otherwise. PayBy's ("platform")
      // key belongs to the simulator, which makes a fresh pair at each start.
      const privateKeyPem = readKeyFile(v.PAYBY_PRIVATE_KEY_FILE ?? DEMO_MERCHANT_PRIVATE_KEY_FILE, 'PAYBY_PRIVATE_KEY_FILE');
      loadPrivateKey(privateKeyPem, 'PAYBY_PRIVATE_KEY_FILE');
      const sim = simUrl(w, 'payby');
      return {
        ...common, baseUrl: v.PAYBY_BASE_URL ?? (sim ? `${sim}/sgs/api` : null), partnerId: v.PAYBY_PARTNER_ID ?? DEMO_PARTNER_ID,
        privateKeyPem, platformPublicKeyPem: null,
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

/** The public key the PayBy simulator trusts for our requests: SIM_PAYBY_MERCHANT_PUBLIC_KEY_FILE, or the
 *  public half of our own key (so demo always matches unless a test wants a mismatch). */
export function simPayByMerchantPublicKey(env: Env, payby: PayBySettings | null): string | null {
  const file = str(env, 'SIM_PAYBY_MERCHANT_PUBLIC_KEY_FILE');
  try {
    if (file) return readKeyFile(file, 'SIM_PAYBY_MERCHANT_PUBLIC_KEY_FILE');
  } catch (err) {
    return keyError(err);
  }
  if (!payby) return null;
  return createPublicKey(createPrivateKey(payby.privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** SIM_CENTRAPAY_SIGNING_KEY_FILE: pins the simulator's webhook key (PKCS#8 P-256 PEM), e.g. to sign test tokens. */
export function simCentrapaySigningKey(env: Env): string | undefined {
  const file = str(env, 'SIM_CENTRAPAY_SIGNING_KEY_FILE');
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('not P-256');
  } catch {
    throw new ConfigError(`SIM_CENTRAPAY_SIGNING_KEY_FILE=${file}: not a readable P-256 private key (PKCS#8 PEM)`);
  }
  return pem;
}
