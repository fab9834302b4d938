// The Centrapay simulator in demo mode: the values the production module uses when CENTRAPAY_* are unset,
// the SIM_CENTRAPAY_* knobs, and mounting under /sim/centrapay on our own port, subscribed to our webhook.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bool, ConfigError, int, msList, str, type Env } from '../../server/config/env.ts';
import { webhookAudience, type CentrapayDemo, type CentrapaySettings } from '../../server/providers/centrapay/config.ts';
import type { DemoSimulator } from '../mount.ts';
import { centrapaySimulator } from './plugin.ts';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS } from './standalone.ts';

const PREFIX = '/sim/centrapay';

export interface CentrapaySimSettings {
  pendingMs: number;
  codeTtlMs: number;
  secondMs: number;
  rateLimit: number;
  rateWindowMs: number;
  luhnCheck: boolean;
  notifyScheduleMs: number[] | undefined;
  signingKeyPem: string | undefined;
  signingKid: string | undefined;
}

/** SIM_CENTRAPAY_SIGNING_KEY_FILE: pins the simulator's webhook key (PKCS#8 P-256 PEM), e.g. to sign test tokens. */
function signingKey(env: Env): string | undefined {
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

export const centrapayDemo: DemoSimulator<CentrapaySettings, CentrapayDemo, CentrapaySimSettings> = {
  name: 'centrapay',
  demo: { path: PREFIX, ...DEMO_CREDENTIALS, accountId: DEMO_ACCOUNT_ID },
  loadSettings: (env, { demo }) => ({
    pendingMs: int(env, 'SIM_CENTRAPAY_PENDING_MS', 3_000, 0, 3_600_000),
    // Centrapay patron codes live about 5 minutes (spec §6).
    codeTtlMs: int(env, 'SIM_CENTRAPAY_CODE_TTL_MS', 300_000, 100, 3_600_000),
    secondMs: int(env, 'SIM_CENTRAPAY_SECOND_MS', 1_000, 1, 60_000),
    rateLimit: int(env, 'SIM_CENTRAPAY_RATE_LIMIT', 200, 1, 1_000_000),
    rateWindowMs: int(env, 'SIM_CENTRAPAY_RATE_WINDOW_MS', 60_000, 100, 3_600_000),
    luhnCheck: bool(env, 'SIM_CENTRAPAY_LUHN_CHECK') ?? true,
    notifyScheduleMs: msList(env, 'SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS'),
    signingKeyPem: demo ? signingKey(env) : undefined,
    signingKid: str(env, 'SIM_CENTRAPAY_SIGNING_KID'),
  }),
  async mount(app, { settings, sim: c, storeName, phoneOrigin, webhookUrl, publicUrl }) {
    await app.register(centrapaySimulator, {
      prefix: PREFIX,
      apiKey: settings.apiKey,
      configId: settings.configId,
      ...(settings.merchantAccountId ? { accountId: settings.merchantAccountId } : {}),
      merchantName: storeName,
      luhnCheck: c.luhnCheck,
      codeTtlMs: c.codeTtlMs,
      pendingMs: c.pendingMs,
      secondMs: c.secondMs,
      rateLimit: c.rateLimit,
      rateWindowMs: c.rateWindowMs,
      notifyRetryScheduleMs: c.notifyScheduleMs,
      signingKeyPem: c.signingKeyPem,
      signingKid: c.signingKid,
      payUrlBase: phoneOrigin,
      // Centrapay has no per-request notify URL: the subscription ("set up by support") is our webhook,
      // read at each notification because the port is only known after listen.
      webhook: () => ({ url: webhookUrl(), audience: webhookAudience(settings, publicUrl) }),
    });
  },
};
