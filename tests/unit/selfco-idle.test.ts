import { describe, expect, it } from 'vitest';
import { countdownMs, IdleClock, type IdleMode } from '../../src/lib/selfco/idle.ts';

function clock(mode: IdleMode, idleMs = 60_000) {
  let now = 0;
  let timeouts = 0;
  const c = new IdleClock(
    { asking: false, secondsLeft: 0 },
    { idleMs: () => idleMs, mode: () => mode, onTimeout: () => timeouts++, now: () => now },
  );
  return { c: c.state, clock: c, at: (t: number) => ((now = t), c.check()), timeouts: () => timeouts };
}

describe('the self-checkout idle clock', () => {
  it('asks "Still there?" after the idle time, counts down, then starts over once', () => {
    const { c, at, timeouts } = clock('ask');
    at(59_999);
    expect(c.asking).toBe(false);
    at(60_000);
    expect([c.asking, c.secondsLeft]).toEqual([true, 15]);
    at(74_100);
    expect(c.secondsLeft).toBe(1);
    expect(timeouts()).toBe(0);
    at(75_000);
    expect([timeouts(), c.asking]).toEqual([1, false]);
    at(75_100);
    expect(timeouts()).toBe(1);
  });

  it('a touch puts the question away and restarts the clock', () => {
    const { c, clock: idle, at, timeouts } = clock('ask');
    at(61_000);
    expect(c.asking).toBe(true);
    idle.touch();
    expect(c.asking).toBe(false);
    at(120_000);
    expect(timeouts()).toBe(0);
  });

  it('on the Paid screen goes straight back; on the attract screen never', () => {
    const quiet = clock('quiet');
    quiet.at(60_000);
    expect([quiet.timeouts(), quiet.c.asking]).toEqual([1, false]);
    const off = clock('off');
    off.at(10 * 60_000);
    expect(off.timeouts()).toBe(0);
  });

  it('counts down a quarter of the idle time, 3 to 15 s', () => {
    expect([countdownMs(5_000), countdownMs(20_000), countdownMs(60_000), countdownMs(600_000)]).toEqual([3_000, 5_000, 15_000, 15_000]);
  });
});
