// Proxies sharing one provider budget take turns (server/payments/token-bucket.ts): the proxy refused a token
// last gets the next one, so the quicker proxy cannot take them all.
import { describe, expect, it } from 'vitest';
import { fullBucket, takeTokens, TURN_GRACE_MS, type BucketState, type Line } from '../../server/payments/token-bucket.ts';

const SHAPE = { perMinute: 120, burst: 4 }; // one token per 500 ms
const T0 = 1_000_000;
const normal = (taker: string) => ({ taker, line: 'normal' as Line });
const urgent = (taker: string) => ({ taker, line: 'urgent' as Line });

/** A's backlog has taken all but the reserved token; B's backlog then asks and is refused. */
function afterBRefused(): BucketState {
  const a = takeTokens(fullBucket(SHAPE, T0), SHAPE, T0, 10, 1, normal('A'));
  expect(a.granted).toBe(3);
  const b = takeTokens(a.state, SHAPE, T0 + 30, 10, 1, normal('B'));
  expect(b.granted).toBe(0);
  return b.state;
}

describe('token bucket turns', () => {
  it('keeps the next token for the proxy refused last; the other comes back one token later', () => {
    const s = afterBRefused();
    expect(s.nextTaker).toBe('B');
    // The token is there at +500, but it is B's: A is refused, and told to come back one token later.
    const a = takeTokens(s, SHAPE, T0 + 500, 10, 1, normal('A'));
    expect(a.granted).toBe(0);
    expect(a.waitMs).toBe(500);
    const b = takeTokens(a.state, SHAPE, T0 + 520, 10, 1, normal('B'));
    expect(b.granted).toBe(1);
    expect(b.state.nextTaker).toBeNull();
    // Turn used: the next token goes to whoever asks.
    expect(takeTokens(b.state, SHAPE, T0 + 1_020, 10, 1, normal('A')).granted).toBe(1);
  });

  it("a watched payment's check does not wait for a backlog's turn", () => {
    const s = afterBRefused();
    const checked = takeTokens(s, SHAPE, T0 + 40, 1, 0, urgent('A'));
    expect(checked.granted).toBe(1);
    expect(checked.state.nextTaker).toBe('B');
  });

  it('watched payments on two proxies take turns too, and their turn holds back the other backlog', () => {
    // Both proxies' kiosks are watching: urgent takes leave no reserve, so each token goes as soon as it is whole.
    const first = takeTokens(fullBucket(SHAPE, T0), SHAPE, T0, 10, 0, urgent('A'));
    expect(first.granted).toBe(4);
    const refused = takeTokens(first.state, SHAPE, T0 + 30, 10, 0, urgent('B'));
    expect(refused.granted).toBe(0);
    expect(refused.state).toMatchObject({ nextTaker: 'B', nextLine: 'urgent' });
    // A, quicker, is back first when the token is whole: it is B's.
    expect(takeTokens(refused.state, SHAPE, T0 + 500, 10, 0, urgent('A')).granted).toBe(0);
    expect(takeTokens(refused.state, SHAPE, T0 + 500, 10, 0, normal('A')).granted).toBe(0);
    expect(takeTokens(refused.state, SHAPE, T0 + 530, 10, 0, urgent('B')).granted).toBe(1);
  });

  it("a watched payment's refusal takes the turn from a backlog", () => {
    const s = afterBRefused();
    const drained = takeTokens(s, SHAPE, T0 + 40, 1, 0, urgent('A'));
    const refused = takeTokens(drained.state, SHAPE, T0 + 50, 1, 0, urgent('C'));
    expect(refused.granted).toBe(0);
    expect(refused.state).toMatchObject({ nextTaker: 'C', nextLine: 'urgent' });
  });

  it('the proxy granted last claims no turn by asking early, so the other one, waiting, gets the next token', () => {
    // A's line is woken often (its checks come back), and asks again before the next token is whole.
    const a = takeTokens(fullBucket(SHAPE, T0), SHAPE, T0, 10, 1, normal('A'));
    const early = takeTokens(a.state, SHAPE, T0 + 100, 10, 1, normal('A'));
    expect(early.granted).toBe(0);
    expect(early.state.nextTaker).toBeNull();
    const b = takeTokens(early.state, SHAPE, T0 + 200, 10, 1, normal('B'));
    expect(b.state.nextTaker).toBe('B');
    // A is back first when the token is whole; it is B's.
    expect(takeTokens(b.state, SHAPE, T0 + 500, 10, 1, normal('A')).granted).toBe(0);
    const bTakes = takeTokens(b.state, SHAPE, T0 + 560, 10, 1, normal('B'));
    expect(bTakes.granted).toBe(1);
    // Now B was last: A's refusal makes A next.
    expect(takeTokens(bTakes.state, SHAPE, T0 + 600, 10, 1, normal('A')).state.nextTaker).toBe('A');
  });

  it('a turn nobody comes back for lapses a grace past its wait', () => {
    const s = afterBRefused();
    expect(s.nextUntil).toBe(T0 + 30 + 470 + TURN_GRACE_MS.normal);
    expect(takeTokens(s, SHAPE, s.nextUntil - 1, 10, 1, normal('A')).granted).toBe(0);
    expect(takeTokens(s, SHAPE, s.nextUntil, 10, 1, normal('A')).granted).toBe(3);
  });

  it('a bucket of its own (no turn given) never waits for turns', () => {
    const s = afterBRefused();
    expect(takeTokens(s, SHAPE, T0 + 500, 10, 1).granted).toBe(1);
  });
});
