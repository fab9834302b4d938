// The chaos bench's judge (bench/chaos/verify.ts) must be able to say "no": fed a store and ledgers that
// disagree, it names the lost payment, the phantom, the double charge and the unresolved one.
import { describe, expect, it } from 'vitest';
import { holds, verify, type StoreRow } from '../../bench/chaos/verify.ts';
import type { SimLedgerEntry } from '../../sandbox/common/ledger.ts';

const row = (id: string, orderId: string, status: StoreRow['status'], amount = 1000): StoreRow => ({
  id, orderId, provider: 'pockyt', reference: `ref-${id}`, status, amount, late: false, needsAttention: false,
});
const entry = (id: string, captured: boolean, refundedMinor = 0, amountMinor = 1000): SimLedgerEntry & { provider: 'pockyt' } => ({
  provider: 'pockyt', providerRef: `txn-${id}`, reference: `ref-${id}`, mode: 'cpm', status: captured ? 'success' : 'closed',
  amountMinor, currency: 'USD', captured, refundedMinor, createdAt: new Date(0).toISOString(),
});

describe('chaos verdict', () => {
  it('holds when every payment matches its provider transaction', () => {
    const v = verify([row('a', 'o1', 'succeeded'), row('b', 'o2', 'failed'), row('c', 'o3', 'reversed')], [entry('a', true), entry('b', false), entry('c', true, 1000)]);
    expect(holds(v)).toBe(true);
    expect(v.netChargedTotal).toBe(1000);
  });

  it('names lost, phantom, double-charged, duplicated and unresolved payments', () => {
    const v = verify(
      [
        row('lost', 'o1', 'failed'),
        row('phantom', 'o2', 'succeeded'),
        row('first', 'o3', 'cancelled'), row('second', 'o3', 'succeeded'),
        row('open', 'o4', 'unknown'),
        row('dup', 'o5', 'succeeded'),
      ],
      [entry('lost', true), entry('first', true), entry('second', true), entry('open', false), entry('dup', true), entry('dup', true), entry('stranger', true)],
    );
    expect(holds(v)).toBe(false);
    expect(v.lost.join()).toMatch(/pockyt lost .*pockyt txn-stranger \(unknown reference ref-stranger\)/s);
    expect(v.lost).toHaveLength(3); // "lost", "first" (charged, proxy says cancelled) and the stranger
    expect(v.phantom).toEqual([expect.stringContaining('phantom')]);
    expect(v.doubleCharges).toEqual(['o3: charged 2000 for 1000', 'o5: charged 2000 for 1000']);
    expect(v.duplicateTransactions).toEqual([expect.stringContaining('dup')]);
    expect(v.unresolved).toEqual([expect.stringContaining('open')]);
  });
});
