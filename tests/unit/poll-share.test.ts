// Watched payments share their provider account's request budget (server/payments/poll-schedule.ts): each is
// asked about at most every N / rate, and a kiosk's read that may not ask yet waits for the next check instead
// of going without an answer. Timers are faked; the schedule's check is a stub that records when it ran.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import { PollSchedule, type Watch } from '../../server/payments/poll-schedule.ts';
import type { Database } from '../../server/store/schema.ts';

const CADENCE = { initialMs: 1_000, maxMs: 1_000, idleMs: 30_000, fastForMs: 180_000 };
const PROMPT = { gapMs: 400, waitMs: 500 };

function scheduleWith(watched: number) {
  const ran: string[] = [];
  const schedule = new PollSchedule({
    // Never written: no watch here has read its row (leaseAt undefined), so no lease is moved.
    db: undefined as unknown as Kysely<Database>,
    cadence: CADENCE,
    seenForMs: 10_000,
    run: async (id) => void ran.push(id),
    pulledIn: () => {},
    ratePerMinute: () => 600,
  });
  const watches: Watch[] = [];
  for (let i = 0; i < watched; i++) watches.push(schedule.add(`p${i}`, { provider: 'pockyt', seenAt: Date.now() }));
  return { schedule, ran, watches };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the fair share of an account budget', () => {
  it('is N watched payments ÷ the rate: 10 on 600/min → 1 s each, 5 → 0.5 s', () => {
    expect(scheduleWith(10).schedule.fairShareMs(scheduleWith(10).watches[0])).toBe(1_000);
    const five = scheduleWith(5);
    expect(five.schedule.fairShareMs(five.watches[0])).toBe(500);
  });

  it("a read within the payment's share starts no check of its own (10 watched: one a second each)", async () => {
    const { schedule, ran, watches } = scheduleWith(10);
    await schedule.seen('p0', PROMPT);
    expect(ran).toEqual(['p0']);
    schedule.at('p0', watches[0], 1_000);
    await vi.advanceTimersByTimeAsync(450); // past the 400 ms read gap, inside the 1 s share
    await schedule.seen('p0', PROMPT);
    expect(ran).toEqual(['p0']);
  });

  it('a read that may not ask waits for the next check due within its wait, and is answered by it', async () => {
    const { schedule, ran, watches } = scheduleWith(10);
    await schedule.seen('p0', PROMPT);
    schedule.at('p0', watches[0], 1_000);
    await vi.advanceTimersByTimeAsync(600); // the next check is due in 400 ms
    let answered = false;
    const read = schedule.seen('p0', PROMPT);
    expect(read).not.toBeNull();
    void read!.then(() => (answered = true));
    await vi.advanceTimersByTimeAsync(350);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['p0', 'p0']);
    expect(answered).toBe(true);
  });

  it('with room in the budget a read asks at once, as before (one watched payment: share 0.1 s, read gap 0.4 s)', async () => {
    const { schedule, ran, watches } = scheduleWith(1);
    await schedule.seen('p0', PROMPT);
    schedule.at('p0', watches[0], 1_000);
    await vi.advanceTimersByTimeAsync(450);
    await schedule.seen('p0', PROMPT);
    expect(ran).toEqual(['p0', 'p0']);
  });
});
