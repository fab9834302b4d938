// How often the reconciler asks about one payment (server/payments/poll-cadence.ts) and when its lease row is
// written, with the random source pinned.
import { describe, expect, it } from 'vitest';
import { cadenceDelay, leaseToWrite, regimeOf, type CadenceSettings } from '../../server/payments/poll-cadence.ts';

const C: CadenceSettings = { initialMs: 1_000, maxMs: 1_000, idleMs: 30_000, fastForMs: 180_000 };
const top = () => 0.999999;
const bottom = () => 0;

describe('regimeOf', () => {
  const s = { watched: false, cancelling: false, lateWatch: false, ageMs: 10_000 };
  it('is fast only while watched and young, or when a cancel is due', () => {
    expect(regimeOf({ ...s, watched: true }, C)).toBe('fast');
    expect(regimeOf(s, C)).toBe('slow');
    expect(regimeOf({ ...s, watched: true, ageMs: 180_000 }, C)).toBe('slow');
    expect(regimeOf({ ...s, cancelling: true, ageMs: 999_999 }, C)).toBe('fast');
    expect(regimeOf({ ...s, watched: true, lateWatch: true }, C)).toBe('late');
  });
});

describe('cadenceDelay', () => {
  it('fast: POLL_INITIAL_MS growing to POLL_MAX_MS, a quarter jittered', () => {
    const c = { ...C, initialMs: 100, maxMs: 250 };
    expect([0, 1, 2, 3, 9].map((a) => cadenceDelay('fast', a, 2_000, c, top))).toEqual([100, 150, 225, 250, 250]);
    expect(cadenceDelay('fast', 0, 2_000, c, bottom)).toBe(75);
  });

  it("fast: never more often than the payment's fair share of its account budget; slow checks are not held to it", () => {
    // 10 watched payments on a 600/min account: each at most once a second, whatever the cadence says.
    const c = { ...C, initialMs: 100, maxMs: 250 };
    expect(cadenceDelay('fast', 0, 2_000, c, bottom, 1_000)).toBe(1_000);
    expect(cadenceDelay('fast', 9, 2_000, c, top, 1_000)).toBe(1_000);
    // A share shorter than the cadence leaves the cadence alone.
    expect(cadenceDelay('fast', 3, 2_000, c, top, 100)).toBe(250);
    expect(cadenceDelay('slow', 0, 2_000, C, top, 60_000)).toBe(2_000);
  });

  it("slow: from the provider's interval, doubling up to POLL_IDLE_MS", () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => cadenceDelay('slow', a, 2_000, C, top))).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    // Never faster than the fast cadence, never slower than idle.
    expect(cadenceDelay('slow', 0, 200, C, top)).toBe(1_000);
    expect(cadenceDelay('slow', 0, 60_000, C, top)).toBe(30_000);
  });

  it('late (expired): the slower of idle and 6 × POLL_MAX_MS', () => {
    expect(cadenceDelay('late', 7, 2_000, C, top)).toBe(30_000);
    expect(cadenceDelay('late', 0, 2_000, { ...C, maxMs: 250, idleMs: 250 }, top)).toBe(1_500);
  });
});

describe('leaseToWrite', () => {
  it('writes only when the next check falls after the stored lease, then one idle period beyond it', () => {
    expect(leaseToWrite(undefined, 5_000, 30_000)).toBeNull();
    expect(leaseToWrite(null, 5_000, 30_000)).toBe(35_000);
    expect(leaseToWrite(35_000, 6_000, 30_000)).toBeNull();
    expect(leaseToWrite(35_000, 35_000, 30_000)).toBeNull();
    expect(leaseToWrite(35_000, 35_001, 30_000)).toBe(65_001);
  });

  it('a watched payment checked every second writes its row about once per idle period', () => {
    let lease: number | null = null;
    let writes = 0;
    for (let t = 0; t < 120_000; t += 1_000) {
      const next = leaseToWrite(lease, t + 1_000, 30_000);
      if (next !== null) {
        lease = next;
        writes++;
      }
    }
    expect(writes).toBe(4);
  });
});
