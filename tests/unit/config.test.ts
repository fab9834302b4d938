// Boot config: defaults, demo detection, and fail-fast messages that name the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { sandbox } from '../../sandbox/index.ts';
import { DEMO_POCKYT } from '../../sandbox/pockyt/demo.ts';
import { parseStoreConfig } from '../../server/store/store-config.ts';

const failure = (env: Record<string, string>): string => {
  try {
    loadConfig(env, sandbox);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  return 'no error';
};

describe('loadConfig (with the sandbox, as server/main.ts passes it)', () => {
  it('has the documented defaults and starts in demo mode without credentials', () => {
    const c = loadConfig({}, sandbox);
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/kiosk.db',
      publicUrl: 'http://localhost:8080',
      demo: true,
      storeId: 'demo-us',
      maxAmountMinor: 1_000_000,
      poll: { initialMs: 1000, maxMs: 1000 },
    });
    expect(c.providers.pockyt).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080/sim/pockyt',
      ...DEMO_POCKYT,
      timeoutMs: 10_000,
      prepayTimeoutMs: 20_000,
      confirmWindowMs: 90_000,
    });
    expect(c.sim.pockyt).toEqual({ pendingMs: 3000, slowMs: 25_000, codeTtlMs: 60_000 });
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash from an explicit one', () => {
    expect(loadConfig({ PORT: '9000' }, sandbox).publicUrl).toBe('http://localhost:9000');
    expect(loadConfig({ PUBLIC_URL: 'https://kiosk.example.com/' }, sandbox).publicUrl).toBe('https://kiosk.example.com');
  });

  it('points the demo adapter at the address the server binds', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }, sandbox).providers.pockyt?.baseUrl).toBe('http://127.0.0.1:8080/sim/pockyt');
    expect(loadConfig({ HOST: '192.168.1.20' }, sandbox).providers.pockyt?.baseUrl).toBe('http://192.168.1.20:8080/sim/pockyt');
    expect(loadConfig({ HOST: '::1' }, sandbox).providers.pockyt?.baseUrl).toBe('http://[::1]:8080/sim/pockyt');
  });

  it('leaves the demo base URL to be resolved after listen when PORT=0', () => {
    expect(loadConfig({ PORT: '0' }, sandbox).providers.pockyt?.baseUrl).toBeNull();
  });

  it('turns demo off when provider credentials are set, and requires all of them', () => {
    const full = {
      POCKYT_BASE_URL: 'https://mapi.yuansfer.com',
      POCKYT_MERCHANT_NO: '200043',
      POCKYT_STORE_NO: '300014',
      POCKYT_TOKEN: 'secret-token',
    };
    const c = loadConfig(full, sandbox);
    expect(c.demo).toBe(false);
    expect(c.providers.pockyt).toMatchObject({ baseUrl: 'https://mapi.yuansfer.com', token: 'secret-token' });
    const msg = failure({ POCKYT_TOKEN: 'secret-token' });
    expect(msg).toContain('POCKYT_BASE_URL');
    expect(msg).toContain('POCKYT_MERCHANT_NO');
    expect(msg).not.toContain('secret-token');
  });

  it('lets DEMO force the mode and uses POCKYT_* values as simulator credentials', () => {
    const c = loadConfig({ DEMO: 'true', POCKYT_TOKEN: 'my-sim-token' }, sandbox);
    expect(c.demo).toBe(true);
    expect(c.providers.pockyt?.token).toBe('my-sim-token');
    expect(loadConfig({ DEMO: '0' }, sandbox)).toMatchObject({ demo: false, providers: { pockyt: null } });
    expect(loadConfig({ DEMO: 'FALSE' }, sandbox).demo).toBe(false);
    expect(loadConfig({ DEMO: '1' }, sandbox).demo).toBe(true);
  });

  it('accepts SQLite files, in-memory SQLite and Postgres URLs', () => {
    for (const url of [
      'sqlite:./data/x.db',
      'sqlite::memory:',
      'sqlite:/var/lib/kiosk.db',
      'postgres://u:p@db/kiosk',
      'postgresql://db/kiosk',
    ]) {
      expect(loadConfig({ DATABASE_URL: url }, sandbox).databaseUrl).toBe(url);
    }
  });

  const bad: [string, Record<string, string>, string][] = [
    ['PORT not a number', { PORT: 'eighty' }, 'PORT'],
    ['PORT out of range', { PORT: '70000' }, 'PORT'],
    ['DATABASE_URL unknown scheme', { DATABASE_URL: 'mysql://u:hunter2@db/k' }, 'DATABASE_URL'],
    ['PUBLIC_URL not a URL', { PUBLIC_URL: 'kiosk.local' }, 'PUBLIC_URL'],
    ['PUBLIC_URL not http', { PUBLIC_URL: 'ftp://kiosk.local' }, 'PUBLIC_URL'],
    ['DEMO not boolean', { DEMO: 'maybe' }, 'DEMO'],
    ['MAX_AMOUNT_MINOR zero', { MAX_AMOUNT_MINOR: '0' }, 'MAX_AMOUNT_MINOR'],
    ['MAX_AMOUNT_MINOR fractional', { MAX_AMOUNT_MINOR: '10.5' }, 'MAX_AMOUNT_MINOR'],
    ['POCKYT_TIMEOUT_MS negative', { POCKYT_TIMEOUT_MS: '-5' }, 'POCKYT_TIMEOUT_MS'],
    ['POCKYT_PREPAY_TIMEOUT_MS junk', { POCKYT_PREPAY_TIMEOUT_MS: '20s' }, 'POCKYT_PREPAY_TIMEOUT_MS'],
    ['POLL_MAX_MS below POLL_INITIAL_MS', { POLL_INITIAL_MS: '2000', POLL_MAX_MS: '1000' }, 'POLL_MAX_MS'],
    ['STORE_ID with a path', { STORE_ID: '../etc/passwd' }, 'STORE_ID'],
    ['LOG_LEVEL unknown', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [
      'POCKYT_BASE_URL not a URL',
      { POCKYT_BASE_URL: 'mapi.yuansfer.com', POCKYT_MERCHANT_NO: '1', POCKYT_STORE_NO: '2', POCKYT_TOKEN: 't' },
      'POCKYT_BASE_URL',
    ],
  ];
  for (const [name, env, variable] of bad) {
    it(`fails fast naming ${variable}: ${name}`, () => {
      expect(failure(env)).toContain(variable);
    });
  }

  it('does not echo a database password in its error', () => {
    expect(failure({ DATABASE_URL: 'mysql://u:hunter2@db/k' })).not.toContain('hunter2');
  });
});

describe('staff PIN limits', () => {
  it('default to 5 per tablet, 10 per store in 15 min, 50 per PIN in 1 h, and read each variable', () => {
    expect(loadConfig({}).staff.limits).toEqual({
      terminal: { maxFailures: 5, windowMs: null, lockoutMs: 60_000, maxLockoutMs: 3_600_000 },
      store: { maxFailures: 10, windowMs: 900_000, lockoutMs: 900_000, maxLockoutMs: 900_000 },
      staff: { maxFailures: 50, windowMs: 3_600_000, lockoutMs: 3_600_000, maxLockoutMs: 3_600_000 },
    });
    const c = loadConfig({
      STAFF_PIN_MAX_ATTEMPTS: '3',
      STAFF_PIN_LOCKOUT_MS: '1000',
      STAFF_PIN_STORE_MAX_FAILURES: '7',
      STAFF_PIN_STORE_WINDOW_MS: '60000',
      STAFF_PIN_STORE_LOCKOUT_MS: '120000',
      STAFF_PIN_MEMBER_MAX_FAILURES: '20',
      STAFF_PIN_MEMBER_WINDOW_MS: '7200000',
      STAFF_PIN_MEMBER_LOCKOUT_MS: '600000',
    });
    expect(c.staff.limits).toEqual({
      terminal: { maxFailures: 3, windowMs: null, lockoutMs: 1000, maxLockoutMs: 3_600_000 },
      store: { maxFailures: 7, windowMs: 60_000, lockoutMs: 120_000, maxLockoutMs: 120_000 },
      staff: { maxFailures: 20, windowMs: 7_200_000, lockoutMs: 600_000, maxLockoutMs: 600_000 },
    });
  });

  it('refuses a limit of zero or a non-number, naming the variable', () => {
    expect(failure({ STAFF_PIN_STORE_MAX_FAILURES: '0' })).toMatch(/STAFF_PIN_STORE_MAX_FAILURES must be between 1 and/);
    expect(failure({ STAFF_PIN_MEMBER_WINDOW_MS: 'soon' })).toMatch(/STAFF_PIN_MEMBER_WINDOW_MS must be a whole number/);
  });
});

describe('abuse limits and server timeouts', () => {
  it('have the documented defaults and read each variable', () => {
    expect(loadConfig({}).limits).toEqual({
      pairing: { perIp: { max: 10, windowMs: 60_000 }, global: { max: 60, windowMs: 60_000 } },
      api: { max: 600, windowMs: 60_000 },
      pin: { max: 20, windowMs: 60_000 },
      webhooks: { max: 1200, windowMs: 60_000 },
      sse: { perTerminal: 4, total: 1000 },
      timeouts: { requestMs: 30_000, headersMs: 15_000, keepAliveMs: 72_000, connectionMs: 120_000 },
    });
    const c = loadConfig({
      RATE_LIMIT_PAIR_PER_IP: '3',
      RATE_LIMIT_PAIR_GLOBAL: '9',
      RATE_LIMIT_PAIR_WINDOW_MS: '5000',
      RATE_LIMIT_API_PER_TERMINAL: '100',
      RATE_LIMIT_API_WINDOW_MS: '10000',
      RATE_LIMIT_PIN_PER_TERMINAL: '4',
      RATE_LIMIT_PIN_WINDOW_MS: '2000',
      RATE_LIMIT_WEBHOOK_PER_PROVIDER: '50',
      RATE_LIMIT_WEBHOOK_WINDOW_MS: '3000',
      SSE_MAX_PER_TERMINAL: '2',
      SSE_MAX_TOTAL: '10',
      REQUEST_TIMEOUT_MS: '20000',
      HEADERS_TIMEOUT_MS: '5000',
      KEEP_ALIVE_TIMEOUT_MS: '10000',
      CONNECTION_TIMEOUT_MS: '60000',
    });
    expect(c.limits).toEqual({
      pairing: { perIp: { max: 3, windowMs: 5000 }, global: { max: 9, windowMs: 5000 } },
      api: { max: 100, windowMs: 10_000 },
      pin: { max: 4, windowMs: 2000 },
      webhooks: { max: 50, windowMs: 3000 },
      sse: { perTerminal: 2, total: 10 },
      timeouts: { requestMs: 20_000, headersMs: 5000, keepAliveMs: 10_000, connectionMs: 60_000 },
    });
  });

  it('refuses a zero limit, headers slower than the request, and an idle timeout an SSE heartbeat cannot beat', () => {
    expect(failure({ RATE_LIMIT_API_PER_TERMINAL: '0' })).toMatch(/RATE_LIMIT_API_PER_TERMINAL must be between 1 and/);
    expect(failure({ SSE_MAX_PER_TERMINAL: 'four' })).toMatch(/SSE_MAX_PER_TERMINAL must be a whole number/);
    expect(failure({ REQUEST_TIMEOUT_MS: '10000', HEADERS_TIMEOUT_MS: '20000' })).toMatch(
      /HEADERS_TIMEOUT_MS \(20000\) must not exceed REQUEST_TIMEOUT_MS/,
    );
    expect(failure({ CONNECTION_TIMEOUT_MS: '20000' })).toMatch(
      /CONNECTION_TIMEOUT_MS \(20000\) must be at least twice SSE_HEARTBEAT_MS \(15000\)/,
    );
    expect(loadConfig({ CONNECTION_TIMEOUT_MS: '20000', SSE_HEARTBEAT_MS: '10000' }).limits.timeouts.connectionMs).toBe(20_000);
  });
});

describe('store config files', () => {
  const valid = {
    id: 's',
    name: 'S',
    currency: 'USD',
    locale: 'en-US',
    routing: { alipay: 'pockyt' },
    catalogue: [{ sku: 'a', name: 'A', price: { value: 100, currency: 'USD' } }],
    maxAmount: { value: 1000, currency: 'USD' },
  };
  it('parses a valid store', () => {
    expect(parseStoreConfig('s.json', valid)).toMatchObject({ id: 's', routing: { alipay: 'pockyt' } });
  });
  it('takes an optional default language for the kiosk', () => {
    expect(parseStoreConfig('s.json', { ...valid, language: 'ar' }).language).toBe('ar');
    expect(parseStoreConfig('s.json', valid)).not.toHaveProperty('language');
  });
  it('takes an optional category per catalogue item, trimmed', () => {
    const store = parseStoreConfig('s.json', {
      ...valid,
      catalogue: [
        { ...valid.catalogue[0], category: ' Hot drinks ' },
        { sku: 'b', name: 'B', price: { value: 200, currency: 'USD' } },
      ],
    });
    expect(store.catalogue[0]).toEqual({ sku: 'a', name: 'A', category: 'Hot drinks', price: { value: 100, currency: 'USD' } });
    expect(store.catalogue[1]).not.toHaveProperty('category');
  });
  const withCategory = (category: unknown) => ({ ...valid, catalogue: [{ ...valid.catalogue[0], category }] });
  const categoryHint = 'catalogue[0].category must be 1-40 characters (or left out)';
  const broken: [string, unknown, string][] = [
    ['an empty category', withCategory(''), categoryHint],
    ['a blank category', withCategory('   '), categoryHint],
    ['a category over 40 characters', withCategory('x'.repeat(41)), categoryHint],
    ['a category that is not text', withCategory(3), categoryHint],
    ['a null category', withCategory(null), categoryHint],
    [
      'price in another currency',
      { ...valid, catalogue: [{ sku: 'a', name: 'A', price: { value: 100, currency: 'EUR' } }] },
      'catalogue[0].price',
    ],
    ['fractional price', { ...valid, catalogue: [{ sku: 'a', name: 'A', price: { value: 1.5, currency: 'USD' } }] }, 'catalogue[0].price'],
    ['duplicate sku', { ...valid, catalogue: [valid.catalogue[0], valid.catalogue[0]] }, 'twice'],
    ['unknown wallet', { ...valid, routing: { paypal: 'pockyt' } }, 'paypal'],
    ['unknown provider', { ...valid, routing: { alipay: 'stripe' } }, 'stripe'],
    ['unsupported currency', { ...valid, currency: 'BTC' }, 'BTC'],
    ['a language the kiosk does not speak', { ...valid, language: 'fr' }, '"language" must be one of en, zh-CN, ar'],
  ];
  for (const [name, json, hint] of broken) {
    it(`refuses ${name}`, () => {
      expect(() => parseStoreConfig('s.json', json)).toThrow(hint);
    });
  }
});
