// Money-moving staff actions racing each other on one paid payment (issue 9 item 1), on every provider that
// can void and refund. The overlap is forced, not hoped for: a simulator fault holds one action's provider
// call (before the provider processes it, or after it committed but before it answers) and the other action
// is sent while the first is held. Whatever wins, afterwards our books equal the provider's ledger (status and
// money returned), there is one applied event row per change, and nothing is left flagged or half-done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from './helpers/kiosk.ts';
import {
  changesSincePaid,
  clearFaults,
  HOLD_MS,
  release,
  expectBooksEqualProvider,
  hold,
  raceCases,
  settled,
  startCaseServers,
  untilHeld,
} from './helpers/races.ts';
import { recheck, refund, voidPayment } from './helpers/staff.ts';

const CASES = raceCases();

beforeAll(() => startCaseServers(CASES));
afterAll(async () => {
  await Promise.all(CASES.flatMap((c) => (c.server ? [c.server.close()] : [])));
});

describe.each(CASES)('$provider: void and refund of one paid payment at the same time', (c) => {
  it('the refund arrives while the void is committed at the provider but not answered yet', async () => {
    const p = await c.paid(c.kiosk!, 1000);
    let r: Reply;
    let v: Reply;
    try {
      await hold(c, c.voidPath, 'after', HOLD_MS);
      // If the refund got through to the provider, it would get there only while the void's answer is held.
      await hold(c, c.refundPath, 'before', 1000);
      const voiding = voidPayment(c.kiosk!, p.id);
      await untilHeld(c, c.voidPath);
      r = await refund(c.kiosk!, p.id, 400, c.currency);
      await release(c);
      v = await voiding;
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect([v.status, v.body.status]).toEqual([200, 'reversed']);
    expect([r.status, r.body.error?.code]).toEqual([409, 'action_in_progress']);
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });

  it('the refund is sent while the void is on its way to the provider', async () => {
    const p = await c.paid(c.kiosk!, 1000);
    let r: Reply;
    let v: Reply;
    try {
      await hold(c, c.voidPath, 'before', HOLD_MS);
      const voiding = voidPayment(c.kiosk!, p.id);
      await untilHeld(c, c.voidPath);
      r = await refund(c.kiosk!, p.id, 400, c.currency);
      await release(c);
      v = await voiding;
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect([v.status, v.body.status]).toEqual([200, 'reversed']);
    expect([r.status, r.body.error?.code]).toEqual([409, 'action_in_progress']);
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });

  it('the void is sent while the refund is committed at the provider but not answered yet', async () => {
    const p = await c.paid(c.kiosk!, 1000);
    let refunding: ReturnType<typeof refund>;
    try {
      await hold(c, c.refundPath, 'after', HOLD_MS);
      refunding = refund(c.kiosk!, p.id, 400, c.currency);
      await untilHeld(c, c.refundPath);
      const v = await voidPayment(c.kiosk!, p.id);
      await release(c);
      expect(v.status).toBe(409);
      expect(v.body.error.code).toBe('void_not_allowed');
      const r = await refunding;
      expect(r.status).toBe(201);
      expect(r.body.refund.status).toBe('succeeded');
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'partially_refunded', back: 400 });
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>partially_refunded']);
    await settled(c, p.id);
  });

  it('two voids at once: one reversal at the provider, the other is told the first is running', async () => {
    const p = await c.paid(c.kiosk!, 1000);
    try {
      await hold(c, c.voidPath, 'before', HOLD_MS);
      const first = voidPayment(c.kiosk!, p.id);
      await untilHeld(c, c.voidPath);
      const second = await voidPayment(c.kiosk!, p.id);
      await release(c);
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('action_in_progress');
      expect((await first).body.status).toBe('reversed');
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });
});

describe.each(CASES)('$provider: the cashier cancels as the customer pays, and a refund is sent meanwhile', (c) => {
  // The cancel reaches the provider after the capture, so the provider returns the money. A full refund sent
  // meanwhile is refused before anything is sent: the cancel holds the payment while it may be returning the
  // money (payments/cancels.ts), as a void does. Were both let through, a partial refund landing first would
  // leave the cancel refunding the rest (Pockyt), and the books could not follow (partially_refunded → reversed).
  it('ends reversed with the money back, in our books as at the provider', async () => {
    const p = await c.waiting(c.kiosk!, 1000);
    try {
      // Held long enough for the customer, the re-check and the refund to get in first.
      await hold(c, c.cancelPath, 'before', HOLD_MS);
      const cancelling = c.kiosk!.cancel(p.id);
      await untilHeld(c, c.cancelPath);
      expect((await c.approve(c.kiosk!, p.providerRef!)).status).toBe(200);
      expect((await recheck(c.kiosk!, p.id)).body.status).toBe('succeeded');
      const r = await refund(c.kiosk!, p.id, 1000, c.currency);
      await release(c);
      await cancelling;
      expect([r.status, r.body.error?.code, r.body.error?.details]).toEqual([409, 'action_in_progress', { action: 'cancel' }]);
    } finally {
      await clearFaults(c);
    }
    expect(await expectBooksEqualProvider(c, p.id)).toEqual({ status: 'reversed', back: 1000 });
    expect((await changesSincePaid(c, p.id)).slice(1)).toEqual(['succeeded>reversed']);
    await settled(c, p.id);
  });
});
