// The simulators' timers (sandbox/common/timers.ts): a fault's delay holds a call until its time is up, until
// a test releases held calls (POST /control/faults/release, or DELETE /control/faults), or until the simulator
// shuts down — whichever is first.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimTimers } from '../../sandbox/common/timers.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function track(p: Promise<void>): { done: boolean } {
  const state = { done: false };
  void p.then(() => (state.done = true));
  return state;
}

describe('SimTimers.hold', () => {
  it('ends after its time when nothing releases it', async () => {
    const held = track(new SimTimers().hold(4_000));
    await vi.advanceTimersByTimeAsync(3_999);
    expect(held.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(held.done).toBe(true);
  });

  it('ends at once when held calls are released, and a later hold is not released by an earlier call', async () => {
    const timers = new SimTimers();
    const first = track(timers.hold(4_000));
    const second = track(timers.hold(4_000));
    await vi.advanceTimersByTimeAsync(100);
    expect(timers.releaseHeld()).toBe(2);
    await vi.advanceTimersByTimeAsync(0);
    expect([first.done, second.done]).toEqual([true, true]);
    expect(timers.releaseHeld()).toBe(0);
    const later = track(timers.hold(4_000));
    await vi.advanceTimersByTimeAsync(100);
    expect(later.done).toBe(false);
    timers.shutdown();
    await vi.advanceTimersByTimeAsync(0);
    expect(later.done).toBe(true);
  });
});
