// The reconciler's per-account request budget (server/payments/poll-budget.ts) on a fake clock: a token
// bucket that never lets more than burst + rate·T through in any T, serves urgent waiters first, stops for
// a provider's Retry-After, and calls waits off cleanly.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestBudget } from '../../server/payments/poll-budget.ts';
import { MemoryBucket, type Bucket } from '../../server/payments/token-bucket.ts';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

/** Queues `n` waiters and records when each was granted (ms since start). */
function queue(b: RequestBudget, n: number, urgent = false, prefix = 'p'): { grants: number[]; order: string[] } {
  const t0 = Date.now();
  const out = { grants: [] as number[], order: [] as string[] };
  for (let i = 0; i < n; i++) {
    const key = `${prefix}${i}`;
    void b.acquire(key, urgent).then((ok) => {
      if (!ok) return;
      out.grants.push(Date.now() - t0);
      out.order.push(key);
    });
  }
  return out;
}

describe('RequestBudget', () => {
  it('lets a burst through at once, then one request per 1/rate', async () => {
    const b = new RequestBudget(120, 4); // 2/s
    expect(await Promise.all([b.tryTake(true), b.tryTake(true), b.tryTake(true), b.tryTake(true)])).toEqual([true, true, true, true]);
    expect(await b.tryTake(true)).toBe(false);
    await vi.advanceTimersByTimeAsync(499);
    expect(await b.tryTake(true)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await b.tryTake(true)).toBe(true);
  });

  it('never grants more than burst + rate·T in any window T, however many wait', async () => {
    const b = new RequestBudget(120, 4);
    const q = queue(b, 200);
    const u = queue(b, 50, true, 'u');
    await vi.advanceTimersByTimeAsync(60_000);
    const grants = [...q.grants, ...u.grants].sort((x, y) => x - y);
    // Burst + rate, less the one request kept for urgent checks once none is waiting.
    expect(grants.length).toBe(4 + 120 - 1);
    for (const T of [1_000, 5_000, 30_000]) {
      const peak = Math.max(...grants.map((g) => grants.filter((x) => x >= g && x < g + T).length));
      expect(peak, `window ${T} ms`).toBeLessThanOrEqual(4 + (2 * T) / 1000);
    }
  });

  it('keeps one request for urgent checks while a backlog drains at the full rate', async () => {
    const b = new RequestBudget(600, 10); // 10/s
    const backlog = queue(b, 1_000);
    await vi.advanceTimersByTimeAsync(10_000);
    // The backlog leaves one in the bucket: 9 at once, then the rate.
    expect(backlog.grants.length).toBe(9 + 100);
    // A kiosk's payment goes at once, not after the next refill.
    expect(await b.tryTake(true)).toBe(true);
    expect(await b.tryTake(false)).toBe(false);
  });

  it('serves urgent waiters before the ones already in line, and promotes a waiter that became urgent', async () => {
    const b = new RequestBudget(60, 1); // 1/s
    expect(await b.tryTake(false)).toBe(true);
    const normal = queue(b, 5, false, 'n');
    const urgent = queue(b, 2, true, 'u');
    // A normal check may not overtake the line; an urgent one may not overtake the urgent line.
    expect(await b.tryTake(false)).toBe(false);
    expect(await b.tryTake(true)).toBe(false);
    b.promote('n3');
    await vi.advanceTimersByTimeAsync(10_000);
    expect([...urgent.order, ...normal.order]).toEqual(['u0', 'u1', 'n3', 'n0', 'n1', 'n2', 'n4']);
    const all = [...urgent.grants, ...normal.grants].sort((x, y) => x - y);
    expect(all.slice(0, 3)).toEqual([1000, 2000, 3000]);
  });

  it('sends nothing during a Retry-After pause, and the pause does not end in a burst', async () => {
    const b = new RequestBudget(600, 10); // 10/s
    void b.pause(5_000);
    expect(await b.tryTake(true)).toBe(false);
    const q = queue(b, 30, true);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(q.grants).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // One at the end of the pause, then the rate (every 100 ms) — not the 10 a full bucket would allow.
    expect(q.grants).toEqual([5000]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(q.grants).toEqual([5000, 5100, 5200, 5300, 5400, 5500, 5600, 5700, 5800, 5900, 6000]);
    // A shorter pause ordered later does not shorten the running one.
    void b.pause(3_000);
    void b.pause(1_000);
    expect(b.pausedFor()).toBe(3_000);
  });

  it('a pause ordered while a take is under way (its database answer still out) holds back what it granted', async () => {
    // A bucket whose takes are decided at once but answer only when told: a shared bucket's transaction that
    // committed while its answer is still on the way back from a busy database.
    const memory = new MemoryBucket({ perMinute: 600, burst: 10 });
    const answers: (() => void)[] = [];
    const slow: Bucket = {
      take: (...args) => memory.take(...args).then((r) => new Promise((resolve) => answers.push(() => resolve(r)))),
      spend: () => memory.spend(),
      pause: (until) => memory.pause(until),
    };
    const b = new RequestBudget(600, 10, slow);
    const q = queue(b, 3, true);
    const tried = b.tryTake(true);
    await vi.advanceTimersByTimeAsync(0);
    // Another check is told 429 (Retry-After 5 s) before the takes answer; they answer with tokens granted.
    void b.pause(5_000);
    for (const answer of answers.splice(0)) answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(await tried).toBe(false);
    expect(q.grants).toEqual([]);
    for (let t = 0; t < 5_000; t += 500) {
      await vi.advanceTimersByTimeAsync(500);
      for (const answer of answers.splice(0)) answer();
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(q.grants[0]).toBeGreaterThanOrEqual(5_000);
  });

  it('counts a request that could not wait (a cancel after a check) against later ones', async () => {
    const b = new RequestBudget(60, 1);
    expect(await b.tryTake(false)).toBe(true);
    await b.spend();
    const q = queue(b, 1);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(q.grants).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(q.grants).toEqual([2000]);
  });

  it('calls off waits: cancel for one key, close for all; a key waits in one place only', async () => {
    const b = new RequestBudget(60, 1);
    expect(await b.tryTake(false)).toBe(true);
    const a = b.acquire('a', false);
    const again = b.acquire('a', true);
    await expect(a).resolves.toBe(false);
    expect(b.waiting('a')).toBe(true);
    b.cancel('a');
    await expect(again).resolves.toBe(false);
    const c = b.acquire('c', false);
    b.close();
    await expect(c).resolves.toBe(false);
    expect(b.waiting('c')).toBe(false);
  });
});

describe('RequestBudget: proxies sharing one bucket', () => {
  it('a proxy that asks a little later each time still gets a fair part of the rate (no lockstep starvation)', async () => {
    // Two proxies on one database bucket (here: two views of one MemoryBucket), each with a backlog of
    // unwatched checks. B's takes reach the bucket 30 ms after it decides to ask — a busier event loop, or a
    // farther database — so without turns A, asking first, would take every token.
    const shared = new MemoryBucket({ perMinute: 120, burst: 4 });
    const fromB = shared.as('b');
    const late: Bucket = {
      take: async (want, reserve, line) => {
        await new Promise((r) => setTimeout(r, 30));
        return fromB.take(want, reserve, line);
      },
      spend: () => fromB.spend(),
      pause: (until) => fromB.pause(until),
    };
    const a = new RequestBudget(120, 4, shared.as('a'));
    const b = new RequestBudget(120, 4, late);
    const toA = queue(a, 60, false, 'a');
    const toB = queue(b, 60, false, 'b');
    await vi.advanceTimersByTimeAsync(30_000);
    const total = toA.grants.length + toB.grants.length;
    // Never over the account's rate together (burst + rate · T) …
    expect(total).toBeLessThanOrEqual(4 + 2 * 30);
    expect(total).toBeGreaterThanOrEqual(50);
    // Taking turns: once both wait in line, an even split (within one request). A, first to ask, had the
    // burst to itself: in lockstep without turns it took every later token too and B got none.
    const after = (grants: number[]) => grants.filter((t) => t >= 5_000).length;
    expect(after(toB.grants)).toBeGreaterThanOrEqual(20);
    expect(Math.abs(after(toA.grants) - after(toB.grants))).toBeLessThanOrEqual(1);
    a.close();
    b.close();
  });
});
