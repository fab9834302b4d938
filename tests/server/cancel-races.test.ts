// The cashier's Cancel landing just after the customer paid: the provider gives the money back (Pockyt's
// cancel and Centrapay's void refund a capture; PayBy's cancelOrder finds the order paid and we revoke it).
// Our books learn of that reversal only from the cancel's own answer — the capture meanwhile reaches them by
// notification or re-check, and nothing watches a paid payment. When that answer is lost, the books must still
// end with the money back (issue 9: chaos seed 8, a PayBy payment `succeeded` in our books, revoked at PayBy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changesSincePaid,
  clearFaults,
  expectBooksEqualProvider,
  hold,
  HOLD_MS,
  loseAnswer,
  raceCases,
  release,
  settled,
  startCaseServers,
  untilHeld,
} from './helpers/races.ts';
import { recheck } from './helpers/staff.ts';

const CASES = raceCases();

beforeAll(() => startCaseServers(CASES));
afterAll(async () => {
  await Promise.all(CASES.flatMap((c) => (c.server ? [c.server.close()] : [])));
});

describe.each(CASES)('$provider: the cashier cancels as the customer pays, and the cancel’s answer is lost', (c) => {
  it('ends reversed with the money back, in our books as at the provider; with no one else touching it', async () => {
    const p = await c.waiting(c.kiosk!, 1000);
    let accepted;
    try {
      // The cancel reaches the provider only after the customer paid and our books say so; the call that
      // returns the money is processed, and its answer never comes back.
      await hold(c, c.cancelPath, 'before', HOLD_MS);
      await loseAnswer(c, c.cancelReversalPath);
      const cancelling = c.kiosk!.cancel(p.id);
      await untilHeld(c, c.cancelPath);
      expect((await c.approve(c.kiosk!, p.providerRef!)).status).toBe(200);
      expect((await recheck(c.kiosk!, p.id)).body.status).toBe('succeeded');
      await release(c);
      accepted = await cancelling;
    } finally {
      await clearFaults(c);
    }
    expect(accepted.status).toBe(202);
    await c.kiosk!.waitFor(p.id, (x) => x.status === 'reversed', 8000);
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });
});
