// backoff(): the one retry-delay formula (src/shared/backoff.ts).
import { describe, expect, it } from 'vitest';
import { backoff } from '../../src/shared/backoff.ts';

const at = (r: number) => () => r;
const LOW = at(0);
const HIGH = at(1 - Number.EPSILON);

describe('backoff', () => {
  it('grows by the factor from baseMs and stops at maxMs', () => {
    const steps = [0, 1, 2, 3, 4, 5, 6].map((n) => backoff(n, { baseMs: 100, maxMs: 1_000, jitter: 0 }));
    expect(steps).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
    expect([0, 1, 2].map((n) => backoff(n, { baseMs: 100, maxMs: 1_000, factor: 1.5, jitter: 0 }))).toEqual([100, 150, 225]);
  });

  it('never decreases with the attempt and never exceeds maxMs, even for huge attempts', () => {
    let previous = 0;
    for (let n = 0; n < 2_000; n++) {
      const d = backoff(n, { baseMs: 7, maxMs: 30_000, factor: 1.5, random: HIGH });
      expect(d).toBeGreaterThanOrEqual(previous);
      expect(d).toBeLessThanOrEqual(30_000);
      previous = d;
    }
    expect(previous).toBe(30_000);
    expect(backoff(10_000, { baseMs: 0, maxMs: 0 })).toBe(0);
  });

  it('draws within [(1 − jitter)·step, step]', () => {
    const policy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.25 };
    expect(backoff(2, { ...policy, random: LOW })).toBe(3_000);
    expect(backoff(2, { ...policy, random: HIGH })).toBe(4_000);
    for (let i = 0; i < 500; i++) {
      const d = backoff(2, policy);
      expect(d).toBeGreaterThanOrEqual(3_000);
      expect(d).toBeLessThanOrEqual(4_000);
    }
    // Equal jitter by default: half of the step is random.
    expect(backoff(0, { baseMs: 1_000, maxMs: 1_000, random: LOW })).toBe(500);
    expect(backoff(0, { baseMs: 1_000, maxMs: 1_000, jitter: 1, random: LOW })).toBe(0);
  });

  it('is deterministic for an injected random source', () => {
    const policy = { baseMs: 150, maxMs: 400, factor: 1.5, jitter: 0.25, random: at(0.4) };
    const a = [0, 1, 2, 3].map((n) => backoff(n, policy));
    expect([0, 1, 2, 3].map((n) => backoff(n, policy))).toEqual(a);
    expect(a).toEqual([128, 191, 287, 340]);
  });

  it('keeps the schedules it replaced: reconciler (×1.5) and follow-ups (×2), both 0.75–1 of the step', () => {
    const randoms = [0, 0.1, 0.37, 0.5, 0.83, 0.999];
    for (const r of randoms) {
      for (let n = 0; n < 20; n++) {
        const poll = Math.round(Math.min(1_000, 250 * 1.5 ** n) * (0.75 + r * 0.25));
        expect(backoff(n, { baseMs: 250, maxMs: 1_000, factor: 1.5, jitter: 0.25, random: at(r) })).toBe(poll);
        const followUp = Math.round(Math.min(30_000, 1_000 * 2 ** n) * (0.75 + r * 0.25));
        expect(backoff(n, { baseMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.25, random: at(r) })).toBe(followUp);
      }
    }
  });

  it('refuses a policy that has no meaning', () => {
    expect(() => backoff(-1, { baseMs: 1, maxMs: 2 })).toThrow(RangeError);
    expect(() => backoff(1.5, { baseMs: 1, maxMs: 2 })).toThrow(RangeError);
    expect(() => backoff(0, { baseMs: 5, maxMs: 2 })).toThrow(RangeError);
    expect(() => backoff(0, { baseMs: -1, maxMs: 2 })).toThrow(RangeError);
    expect(() => backoff(0, { baseMs: Number.NaN, maxMs: 2 })).toThrow(RangeError);
    expect(() => backoff(0, { baseMs: 1, maxMs: 2, factor: 0.5 })).toThrow(RangeError);
    expect(() => backoff(0, { baseMs: 1, maxMs: 2, jitter: 1.5 })).toThrow(RangeError);
  });
});
