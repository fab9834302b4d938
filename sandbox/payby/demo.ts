// The PayBy simulator in demo mode: the values the production module uses when PAYBY_* are unset (our
// DEMO ONLY merchant key, the simulator's platform key), the SIM_PAYBY_* knobs, and mounting under
// /sim/payby on our own port.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { int, msList, str, type Env } from '../../server/config/env.ts';
import { keyError, type PayByDemo, type PayBySettings } from '../../server/providers/payby/config.ts';
import { readKeyFile } from '../../server/providers/payby/signing.ts';
import type { DemoSimulator } from '../mount.ts';
import { API_BASE } from './context.ts';
import { DEMO_MERCHANT_PRIVATE_KEY_FILE, DEMO_PARTNER_ID, generatePayByKeyPair, type PemKeyPair } from './keys.ts';
import { paybySimulator } from './plugin.ts';

const PREFIX = '/sim/payby';

let pair: PemKeyPair | null = null;

/** The simulator's "platform" key pair for demo mode: made once per process (RSA-2048 generation takes a
 *  noticeable moment, and tests build many apps). It signs with the private half; our adapter and webhook
 *  trust the public half. */
export function demoPayByPlatformKeys(): PemKeyPair {
  pair ??= generatePayByKeyPair();
  return pair;
}

export interface PayBySimSettings {
  pendingMs: number;
  slowMs: number;
  codeTtlMs: number;
  tokenTtlMs: number;
  refundCompleteMs: number;
  notifyScheduleMs: number[] | undefined;
  /** The merchant public key the simulator checks our `sign` with (null outside demo). */
  merchantPublicKeyPem: string | null;
}

/** The public key the simulator trusts for our requests: SIM_PAYBY_MERCHANT_PUBLIC_KEY_FILE, or the public
 *  half of our own key (so demo always matches unless a test wants a mismatch). */
function merchantPublicKey(env: Env, payby: PayBySettings | null): string | null {
  const file = str(env, 'SIM_PAYBY_MERCHANT_PUBLIC_KEY_FILE');
  try {
    if (file) return readKeyFile(file, 'SIM_PAYBY_MERCHANT_PUBLIC_KEY_FILE');
  } catch (err) {
    return keyError(err);
  }
  if (!payby) return null;
  return createPublicKey(createPrivateKey(payby.privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

export const paybyDemo: DemoSimulator<PayBySettings, PayByDemo, PayBySimSettings> = {
  name: 'payby',
  demo: {
    path: `${PREFIX}${API_BASE}`,
    partnerId: DEMO_PARTNER_ID,
    privateKeyFile: DEMO_MERCHANT_PRIVATE_KEY_FILE,
    platformPublicKeyPem: () => demoPayByPlatformKeys().publicKeyPem,
  },
  loadSettings: (env, { demo, settings }) => ({
    pendingMs: int(env, 'SIM_PAYBY_PENDING_MS', 3_000, 0, 3_600_000),
    slowMs: int(env, 'SIM_PAYBY_SLOW_MS', 30_000, 0, 3_600_000),
    codeTtlMs: int(env, 'SIM_PAYBY_CODE_TTL_MS', int(env, 'SIM_CODE_TTL_MS', 60_000, 100, 3_600_000), 100, 3_600_000),
    tokenTtlMs: int(env, 'SIM_PAYBY_TOKEN_TTL_MS', 3_600_000, 100, 86_400_000),
    refundCompleteMs: int(env, 'SIM_PAYBY_REFUND_COMPLETE_MS', 2_000, 0, 3_600_000),
    notifyScheduleMs: msList(env, 'SIM_PAYBY_NOTIFY_SCHEDULE_MS'),
    merchantPublicKeyPem: demo ? merchantPublicKey(env, settings) : null,
  }),
  async mount(app, { settings, sim: p, storeName, phoneOrigin }) {
    if (!p.merchantPublicKeyPem) return;
    await app.register(paybySimulator, {
      prefix: PREFIX,
      partnerId: settings.partnerId,
      merchantPublicKeyPem: p.merchantPublicKeyPem,
      platformPrivateKeyPem: demoPayByPlatformKeys().privateKeyPem,
      pendingMs: p.pendingMs,
      slowMs: p.slowMs,
      codeTtlMs: p.codeTtlMs,
      tokenTtlMs: p.tokenTtlMs,
      refundCompleteMs: p.refundCompleteMs,
      notifyRetryScheduleMs: p.notifyScheduleMs,
      storeName,
      payUrlBase: phoneOrigin,
    });
  },
};
