// Centrapay and PayBy configuration (DESIGN §4): demo defaults point at our simulators, a provider is on in
// production only with all of its variables, partial or broken settings stop the boot naming the variable,
// and store files' merchant-QR options are validated like the rest of the store.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { sandbox } from '../../sandbox/index.ts';
import { PROVIDER_NAMES } from '../../src/shared/providers.ts';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS } from '../../sandbox/centrapay/standalone.ts';
import { DEMO_PARTNER_ID, generatePayByKeyPair } from '../../sandbox/payby/keys.ts';
import { loadStoreConfigs, parseStoreConfig } from '../../server/store/store-config.ts';
import { checkStore } from '../../server/wiring/check-store.ts';

const failure = (env: Record<string, string>): string => {
  try {
    loadConfig(env, sandbox);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  return 'no error';
};

const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
const merchant = generatePayByKeyPair();
const platform = generatePayByKeyPair();
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const PRIVATE = file('merchant-private.pem', merchant.privateKeyPem);
const PLATFORM = file('platform-public.pem', platform.publicKeyPem);
const CENTRAPAY = {
  CENTRAPAY_BASE_URL: 'https://service.centrapay.com',
  CENTRAPAY_API_KEY: 'cp-secret-key-123',
  CENTRAPAY_CONFIG_ID: 'mc_123',
  CENTRAPAY_JWKS_URL: 'https://auth.centrapay.com/api/.well-known/jwks.json',
};
const PAYBY = {
  PAYBY_BASE_URL: 'https://uat.test2pay.com/sgs/api',
  PAYBY_PARTNER_ID: '200000000123',
  PAYBY_PRIVATE_KEY_FILE: PRIVATE,
  PAYBY_PUBLIC_KEY_FILE: PLATFORM,
};

describe('demo mode', () => {
  it('points Centrapay and PayBy at the built-in simulators with sandbox credentials', () => {
    const c = loadConfig({ PORT: '9090' }, sandbox);
    expect(c.demo).toBe(true);
    expect(c.providers.centrapay).toMatchObject({
      baseUrl: 'http://127.0.0.1:9090/sim/centrapay',
      ...DEMO_CREDENTIALS,
      merchantAccountId: DEMO_ACCOUNT_ID,
      jwksUrl: 'http://127.0.0.1:9090/sim/centrapay/api/.well-known/jwks.json',
      timeoutMs: 10_000,
      confirmWindowMs: 90_000,
      webhookAudience: null,
    });
    expect(c.providers.payby).toMatchObject({
      baseUrl: 'http://127.0.0.1:9090/sim/payby/sgs/api',
      partnerId: DEMO_PARTNER_ID,
      platformPublicKeyPem: null,
      confirmWindowMs: 120_000,
    });
    // The simulator trusts the public half of the key our adapter signs with.
    expect(c.sim.payby.merchantPublicKeyPem).toBe(
      createPublicKey(c.providers.payby!.privateKeyPem).export({ type: 'spki', format: 'pem' }),
    );
    expect(c.sim.centrapay).toMatchObject({ rateLimit: 200, rateWindowMs: 60_000, secondMs: 1000, luhnCheck: true });
  });

  it('leaves the simulator URLs to be resolved after listen when PORT=0', () => {
    const c = loadConfig({ PORT: '0' }, sandbox);
    expect(c.providers.centrapay?.baseUrl).toBeNull();
    expect(c.providers.centrapay?.jwksUrl).toBeNull();
    expect(c.providers.payby?.baseUrl).toBeNull();
  });

  it('reads the simulator knobs', () => {
    const c = loadConfig(
      {
        SIM_CENTRAPAY_RATE_LIMIT: '5',
        SIM_CENTRAPAY_RATE_WINDOW_MS: '2000',
        SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: 'none',
        SIM_PAYBY_NOTIFY_SCHEDULE_MS: '0,100',
        SIM_PAYBY_PENDING_MS: '10',
      },
      sandbox,
    );
    expect(c.sim.centrapay).toMatchObject({ rateLimit: 5, rateWindowMs: 2000, notifyScheduleMs: [] });
    expect(c.sim.payby).toMatchObject({ notifyScheduleMs: [0, 100], pendingMs: 10 });
  });
});

describe('production', () => {
  it('configures Centrapay when all four variables are set (and demo turns off)', () => {
    const c = loadConfig({ ...CENTRAPAY, CENTRAPAY_CONFIRM_WINDOW_MS: '60000', CENTRAPAY_TERMINAL_ID: 'till-1' }, sandbox);
    expect(c.demo).toBe(false);
    expect(c.providers.centrapay).toMatchObject({
      baseUrl: CENTRAPAY.CENTRAPAY_BASE_URL,
      apiKey: 'cp-secret-key-123',
      jwksUrl: CENTRAPAY.CENTRAPAY_JWKS_URL,
      confirmWindowMs: 60_000,
      terminalId: 'till-1',
    });
    expect(c.providers.payby).toBeNull();
    expect(c.providers.pockyt).toBeNull();
  });

  it('configures PayBy from key files, read and checked at boot', () => {
    const c = loadConfig(PAYBY, sandbox);
    expect(c.demo).toBe(false);
    expect(c.providers.payby).toMatchObject({
      partnerId: '200000000123',
      privateKeyPem: merchant.privateKeyPem,
      platformPublicKeyPem: platform.publicKeyPem,
    });
    expect(c.sim.payby.merchantPublicKeyPem).toBeNull();
  });

  it('refuses a partly configured provider, naming what is missing and never echoing a secret', () => {
    const cp = failure({ CENTRAPAY_API_KEY: 'cp-secret-key-123', CENTRAPAY_CONFIG_ID: 'mc_1' });
    expect(cp).toContain('CENTRAPAY_BASE_URL');
    expect(cp).toContain('CENTRAPAY_JWKS_URL');
    expect(cp).not.toContain('CENTRAPAY_API_KEY');
    expect(cp).not.toContain('cp-secret-key-123');
    const pb = failure({ PAYBY_PARTNER_ID: '200000000123', PAYBY_PRIVATE_KEY_FILE: PRIVATE });
    expect(pb).toContain('PAYBY_BASE_URL');
    expect(pb).toContain('PAYBY_PUBLIC_KEY_FILE');
  });

  it('fails at boot on a bad PayBy key: unreadable, not a key, swapped, or too weak', () => {
    expect(failure({ ...PAYBY, PAYBY_PRIVATE_KEY_FILE: join(dir, 'missing.pem') })).toContain('PAYBY_PRIVATE_KEY_FILE');
    expect(failure({ ...PAYBY, PAYBY_PRIVATE_KEY_FILE: file('junk.pem', 'hello') })).toContain('PAYBY_PRIVATE_KEY_FILE');
    expect(failure({ ...PAYBY, PAYBY_PUBLIC_KEY_FILE: PRIVATE })).toMatch(/PAYBY_PUBLIC_KEY_FILE.*private key/);
    expect(
      failure({
        ...PAYBY,
        PAYBY_PUBLIC_KEY_FILE: file(
          'ec.pem',
          createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
            .export({ type: 'spki', format: 'pem' })
            .toString(),
        ),
      }),
    ).toContain('RSA');
  });

  const bad: [string, Record<string, string>, string][] = [
    ['CENTRAPAY_BASE_URL not a URL', { ...CENTRAPAY, CENTRAPAY_BASE_URL: 'service.centrapay.com' }, 'CENTRAPAY_BASE_URL'],
    ['CENTRAPAY_JWKS_URL not http', { ...CENTRAPAY, CENTRAPAY_JWKS_URL: 'ftp://x/jwks' }, 'CENTRAPAY_JWKS_URL'],
    [
      'CENTRAPAY_CONFIRM_WINDOW_MS shorter than Centrapay’s 5 s margin',
      { ...CENTRAPAY, CENTRAPAY_CONFIRM_WINDOW_MS: '3000' },
      'CENTRAPAY_CONFIRM_WINDOW_MS',
    ],
    ['PAYBY_TIMEOUT_MS junk', { ...PAYBY, PAYBY_TIMEOUT_MS: '10s' }, 'PAYBY_TIMEOUT_MS'],
    ['SIM_CENTRAPAY_RATE_LIMIT zero', { SIM_CENTRAPAY_RATE_LIMIT: '0' }, 'SIM_CENTRAPAY_RATE_LIMIT'],
    ['SIM_CENTRAPAY_SIGNING_KEY_FILE not a P-256 key', { SIM_CENTRAPAY_SIGNING_KEY_FILE: PRIVATE }, 'SIM_CENTRAPAY_SIGNING_KEY_FILE'],
  ];
  for (const [name, env, variable] of bad) {
    it(`fails fast naming ${variable}: ${name}`, () => {
      expect(failure(env)).toContain(variable);
    });
  }
});

describe('stores and providers', () => {
  const valid = {
    id: 's',
    name: 'S',
    currency: 'NZD',
    locale: 'en-NZ',
    routing: { centrapay: 'centrapay' },
    catalogue: [],
    maxAmount: { value: 1000, currency: 'NZD' },
    mpm: [{ provider: 'centrapay', label: 'Centrapay QR' }],
  };

  it('reads merchant-QR options (none when absent)', () => {
    expect(parseStoreConfig('s.json', valid).mpm).toEqual([{ provider: 'centrapay', label: 'Centrapay QR' }]);
    const { mpm: _, ...without } = valid;
    expect(parseStoreConfig('s.json', without).mpm).toEqual([]);
  });

  const broken: [string, unknown, string][] = [
    ['mpm not a list', { ...valid, mpm: { provider: 'centrapay' } }, '"mpm"'],
    ['unknown provider', { ...valid, mpm: [{ provider: 'stripe', label: 'X' }] }, 'mpm[0].provider'],
    ['unknown wallet', { ...valid, mpm: [{ provider: 'pockyt', vendor: 'paypal', label: 'X' }] }, 'mpm[0].vendor'],
    ['missing label', { ...valid, mpm: [{ provider: 'centrapay' }] }, 'mpm[0].label'],
    [
      'same option twice',
      {
        ...valid,
        mpm: [
          { provider: 'centrapay', label: 'A' },
          { provider: 'centrapay', label: 'B' },
        ],
      },
      'twice',
    ],
  ];
  for (const [name, json, hint] of broken) {
    it(`refuses ${name}`, () => {
      expect(() => parseStoreConfig('s.json', json)).toThrow(hint);
    });
  }

  it('ships the three demo stores, each in its provider’s currency', () => {
    const stores = loadStoreConfigs('config/stores');
    expect([...stores.values()].map((s) => [s.id, s.currency, s.locale, Object.values(s.routing), s.mpm.map((o) => o.provider)])).toEqual(
      expect.arrayContaining([
        ['demo-us', 'USD', 'en-US', ['pockyt', 'pockyt'], ['pockyt', 'pockyt']],
        ['demo-nz', 'NZD', 'en-NZ', ['centrapay'], ['centrapay']],
        ['demo-ae', 'AED', 'en-AE', ['payby'], ['payby']],
      ]),
    );
  });

  it('refuses to serve STORE_ID with a provider that is not configured, naming its variables', () => {
    const stores = loadStoreConfigs('config/stores');
    const config = loadConfig(
      {
        POCKYT_BASE_URL: 'https://mapi.yuansfer.com',
        POCKYT_MERCHANT_NO: '1',
        POCKYT_STORE_NO: '2',
        POCKYT_TOKEN: 't',
        STORE_ID: 'demo-nz',
      },
      sandbox,
    );
    expect(() => checkStore(config, stores, 'demo-nz')).toThrow(/centrapay is not configured: set CENTRAPAY_BASE_URL/);
    expect(checkStore(config, stores, 'demo-us').id).toBe('demo-us');
    expect(checkStore(loadConfig({}, sandbox), stores, 'demo-ae').currency).toBe('AED');
  });
});

describe('.env.example', () => {
  it('documents every variable the configuration reads', async () => {
    const { existsSync, readdirSync, readFileSync } = await import('node:fs');
    // The core's variables (server/config.ts and its sections), each provider's (server/providers/<name>/config.ts) and each simulator's (sandbox/<name>/demo.ts).
    const perProvider = (dir: string, file: string) =>
      readdirSync(dir)
        .map((d) => `${dir}/${d}/${file}`)
        .filter((f) => existsSync(f));
    const sections = readdirSync('server/config').map((f) => `server/config/${f}`);
    const files = ['server/config.ts', ...sections, ...perProvider('server/providers', 'config.ts'), ...perProvider('sandbox', 'demo.ts')];
    for (const name of PROVIDER_NAMES)
      expect(files).toEqual(expect.arrayContaining([`server/providers/${name}/config.ts`, `sandbox/${name}/demo.ts`]));
    const source = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const read = new Set([...source.matchAll(/\b(?:str|int|optionalInt|bool|msList|optionalUrl)\(env, '([A-Z0-9_]+)'/g)].map((m) => m[1]));
    expect(read.size).toBeGreaterThan(30);
    const documented = readFileSync('.env.example', 'utf8');
    expect([...read].filter((name) => !new RegExp(`^#?${name}=`, 'm').test(documented))).toEqual([]);
  });
});
