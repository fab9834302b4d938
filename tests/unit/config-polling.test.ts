// POLL_* settings (server/config/polling.ts): cadences and each provider account's request budget, with
// defaults from the provider's own guidance.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { PROVIDER_NAMES } from '../../src/shared/providers.ts';

describe('poll settings', () => {
  it("defaults: fast at 1 s while watched (3 min), slow up to 30 s, budgets under each provider's limit", () => {
    expect(loadConfig({}).poll).toEqual({
      initialMs: 1_000,
      maxMs: 1_000,
      idleMs: 30_000,
      fastForMs: 180_000,
      providers: {
        pockyt: { ratePerMinute: 600, pendingQueryMs: 2_000 },
        centrapay: { ratePerMinute: 120, pendingQueryMs: 1_000 },
        payby: { ratePerMinute: 300, pendingQueryMs: 2_000 },
      },
    });
  });

  it('reads POLL_IDLE_MS, POLL_FAST_FOR_MS and POLL_RATE_<PROVIDER>; idle is never below POLL_MAX_MS', () => {
    const p = loadConfig({ POLL_IDLE_MS: '5000', POLL_FAST_FOR_MS: '60000', POLL_RATE_CENTRAPAY: '150', POLL_RATE_PAYBY: '30' }).poll;
    expect(p).toMatchObject({ idleMs: 5_000, fastForMs: 60_000 });
    expect(p.providers.centrapay.ratePerMinute).toBe(150);
    expect(p.providers.payby.ratePerMinute).toBe(30);
    expect(loadConfig({ POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' }).poll.idleMs).toBe(60_000);
  });

  it('refuses a rate of zero or a non-number, naming the variable', () => {
    expect(() => loadConfig({ POLL_RATE_POCKYT: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ POLL_RATE_POCKYT: '0' })).toThrow(/POLL_RATE_POCKYT/);
    expect(() => loadConfig({ POLL_RATE_CENTRAPAY: '2/s' })).toThrow(/POLL_RATE_CENTRAPAY/);
    expect(() => loadConfig({ POLL_IDLE_MS: 'soon' })).toThrow(/POLL_IDLE_MS/);
  });

  it("documents each provider's POLL_RATE_<PROVIDER> in .env.example", () => {
    const documented = readFileSync('.env.example', 'utf8');
    expect(PROVIDER_NAMES.filter((p) => !new RegExp(`^#?POLL_RATE_${p.toUpperCase()}=`, 'm').test(documented))).toEqual([]);
  });
});
