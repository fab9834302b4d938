// The wrong-PIN throttle's reservations (server/staff/throttle.ts) on a fake clock: a check in flight holds
// one attempt; one never given back (its proxy died) lapses and counts as nothing; a verdict reached after its
// reservation lapsed is not recorded. Set TEST_DATABASE_URL=postgres://… to run it against Postgres.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PinLimits } from '../../server/config/staff.ts';
import { PinThrottle, type ScopeKey } from '../../server/staff/throttle.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';

let store: Store;
beforeAll(async () => {
  store = await openMigratedStore(process.env.TEST_DATABASE_URL || 'sqlite::memory:');
});
afterAll(async () => store?.close());

const limit = { maxFailures: 3, windowMs: null, lockoutMs: 60_000, maxLockoutMs: 60_000 };
const LIMITS: PinLimits = { terminal: limit, store: { ...limit, maxFailures: 100 }, staff: { ...limit, maxFailures: 100 } };
const RESERVATION_MS = 10_000;

function setup() {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const throttle = new PinThrottle(store.db, LIMITS, () => clock.now, { reservationMs: RESERVATION_MS });
  const keys: ScopeKey[] = [
    { scope: 'terminal', key: `t-${randomUUID()}` },
    { scope: 'store', key: `s-${randomUUID()}` },
  ];
  const failures = async () =>
    Number(
      (await store.db.selectFrom('pin_throttle').select('failures').where('key', '=', keys[0].key).executeTakeFirstOrThrow()).failures,
    );
  return { clock, throttle, keys, failures };
}

describe('PIN check reservations', () => {
  it('a slot held by a dead check stops counting once it lapses, and leaves no failure behind', async () => {
    const { clock, throttle, keys, failures } = setup();
    for (let i = 0; i < 3; i++) expect((await throttle.tryTake(keys)).granted).toBe(true);
    // All three attempts are in flight and none comes back.
    expect(await throttle.tryTake(keys)).toMatchObject({ granted: false, busy: true });
    clock.now += RESERVATION_MS - 1;
    expect(await throttle.tryTake(keys)).toMatchObject({ granted: false, busy: true });
    clock.now += 1;
    const after = await throttle.tryTake(keys);
    expect(after.granted).toBe(true);
    expect(await failures()).toBe(0);
  });

  it('wrong PINs count when their verdict is recorded; the last one locks; right ones never count', async () => {
    const { throttle, keys, failures } = setup();
    const slots = await Promise.all([1, 2, 3].map(() => throttle.tryTake(keys)));
    const [a, b, c] = slots.map((s) => (s.granted ? s.slot : expect.fail('no slot')));
    expect(await throttle.succeeded(a, [])).toBe(true);
    expect(await throttle.failed(b)).toEqual({ lapsed: false, attemptsLeft: 2, lock: null });
    expect(await failures()).toBe(1);
    // One failure counted and c in flight: one attempt left to hand out.
    const d = await throttle.tryTake(keys);
    if (!d.granted) return expect.fail('no slot');
    expect(await throttle.tryTake(keys)).toMatchObject({ busy: true });
    expect(await throttle.failed(c)).toMatchObject({ lapsed: false, attemptsLeft: 1 });
    expect(await throttle.tryTake(keys)).toMatchObject({ busy: true });
    expect(await throttle.failed(d.slot)).toMatchObject({
      lapsed: false,
      attemptsLeft: 0,
      lock: { scope: 'terminal', retryAfterMs: 60_000 },
    });
    expect(await throttle.tryTake(keys)).toMatchObject({ granted: false, lock: { scope: 'terminal' } });
    expect(await failures()).toBe(3);
  });

  it('a verdict reached after its reservation lapsed is neither given nor counted', async () => {
    const { clock, throttle, keys, failures } = setup();
    const slow = await throttle.tryTake(keys);
    if (!slow.granted) return expect.fail('no slot');
    clock.now += RESERVATION_MS;
    expect(await throttle.failed(slow.slot)).toEqual({ lapsed: true });
    expect(await failures()).toBe(0);
  });

  it('a slot that frees itself while a slow try is on its way is still given: busy only from a try begun after every lapse', async () => {
    const { keys } = setup();
    const lapseMs = 400;
    // Another proxy took all three attempts and died; its reservations lapse lapseMs after they were taken.
    const dead = new PinThrottle(store.db, LIMITS, Date.now, { reservationMs: lapseMs });
    for (let i = 0; i < 3; i++) expect((await dead.tryTake(keys)).granted).toBe(true);
    // A loaded database: each try takes 250 ms, so the second begins before the dead checks lapse and ends
    // after this check's patience (one reservation's life) is over.
    class SlowDatabase extends PinThrottle {
      override async tryTake(k: ScopeKey[]) {
        const attempt = await super.tryTake(k);
        await new Promise((resolve) => setTimeout(resolve, 250));
        return attempt;
      }
    }
    const live = new SlowDatabase(store.db, LIMITS, Date.now, { reservationMs: lapseMs });
    expect((await live.take(keys)).granted).toBe(true);
  });
});
