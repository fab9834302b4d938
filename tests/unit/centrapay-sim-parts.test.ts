// The Centrapay simulator's pure parts: test patron codes, the code checks, the rate limiter, the webhook
// retry schedule; and the shared Retry-After parser the adapter relies on.
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../server/providers/http.ts';
import { twoWeekSchedule } from '../../sandbox/centrapay/notify.ts';
import { RateLimiter } from '../../sandbox/centrapay/rate-limit.ts';
import { checkPatronCode, scenarioFor, TEST_SCENARIOS, testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { classifyCode, luhnValid } from '../../src/shared/classify.ts';

describe('test patron codes', () => {
  it('are Luhn-valid Centrapay codes that the kiosk routes to Centrapay and the simulator reads back', () => {
    for (const suffix of Object.keys(TEST_SCENARIOS)) {
      const code = testPatronCode(suffix);
      expect(code).toMatch(/^999000\d{10}$/);
      expect(luhnValid(code)).toBe(true);
      expect(classifyCode(code)).toEqual({ ok: true, vendor: 'centrapay', code });
      expect(scenarioFor(code)).toBe(TEST_SCENARIOS[suffix].scenario);
    }
    expect(testPatronCode('0001')).toBe('9990001234500016');
    expect(scenarioFor(testPatronCode('7777'))).toBe('manual');
  });

  it('the docs example fails Luhn: CHECKSUM_FAILED unless the check is switched off', () => {
    expect(checkPatronCode('9990001234567895', true)).toMatchObject({ ok: false, status: 400, message: 'CHECKSUM_FAILED' });
    expect(checkPatronCode('9990001234567895', false)).toEqual({ ok: true, code: '9990001234567895' });
    expect(checkPatronCode('9990001234567890', true)).toEqual({ ok: true, code: '9990001234567890' });
  });

  it('anything not 16 digits with a listed prefix is PATRON_CODE_INVALID, Luhn or not', () => {
    for (const code of ['1111111111111116', '999000123456789', '99900012345678901', '99900012345678a0', '']) {
      expect(checkPatronCode(code, false)).toMatchObject({ ok: false, status: 403, message: 'PATRON_CODE_INVALID' });
    }
  });
});

describe('rate limiter', () => {
  it('allows max per rolling window per account, then says how long to wait', () => {
    const rl = new RateLimiter(3, 60_000);
    const t0 = 1_000_000;
    expect([rl.take('a', t0), rl.take('a', t0 + 10), rl.take('a', t0 + 20_000)].every((r) => r.ok)).toBe(true);
    expect(rl.take('a', t0 + 30_000)).toEqual({ ok: false, retryAfterSec: 30 });
    expect(rl.take('b', t0 + 30_000).ok).toBe(true); // another account has its own budget
    expect(rl.take('a', t0 + 59_999)).toEqual({ ok: false, retryAfterSec: 1 });
    expect(rl.take('a', t0 + 60_011).ok).toBe(true); // the first two left the window: room for two
    expect(rl.take('a', t0 + 60_012).ok).toBe(true);
    expect(rl.take('a', t0 + 60_013)).toEqual({ ok: false, retryAfterSec: 20 }); // until t0+20000 leaves
    expect(rl.take('a', t0 + 80_001).ok).toBe(true); // refused requests did not count
  });
});

describe('webhook retry schedule', () => {
  it('starts at once, backs off exponentially and stays within two weeks', () => {
    const s = twoWeekSchedule();
    expect(s[0]).toBe(0);
    expect(s[1]).toBe(30_000);
    expect(s[2]).toBe(60_000);
    for (let i = 2; i < s.length; i++) expect(s[i]).toBeGreaterThanOrEqual(s[i - 1]);
    const total = s.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(14 * 86_400_000);
    expect(total).toBeGreaterThan(12 * 86_400_000);
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('1')).toBe(1000);
    expect(parseRetryAfter(' 30 ')).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
