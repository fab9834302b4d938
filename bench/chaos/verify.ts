// The judge: the providers' ledgers (GET <sim>/control/ledger) against the proxy's own books (its SQLite file,
// read by store.ts), payment by payment. Pure, so tests/server/chaos-verify.test.ts can feed it disagreements.
//   lost            the provider holds money for a payment our books call unpaid (or under a reference we never made)
//   phantom         our books say the money was taken; the provider never took it
//   double charge   the providers hold more than one payment's worth of money for one order
//   books≠provider  status or refunded sum differ (e.g. the provider gave the money back and our books still say
//                   paid; a payment we closed is still payable at the provider; refund rows that do not add up)
//   unresolved      a payment or a refund still open (created/pending/unknown)
//   refunds > capture  more refunded than was captured, in our books or at the provider
import { isOpen, type PaymentStatus, type ProviderName } from '../../src/shared/payment.ts';
import { netCharged, type SimLedgerEntry } from '../../sandbox/common/ledger.ts';

export type LedgerEntry = SimLedgerEntry & { provider: ProviderName };

export interface RefundRow {
  id: string;
  status: string;
  amount: number;
}

export interface StoreRow {
  id: string;
  orderId: string;
  provider: ProviderName;
  reference: string;
  status: PaymentStatus;
  amount: number;
  /** payments.refunded_value: the sum of its succeeded refunds. */
  refunded: number;
  refunds: RefundRow[];
  late: boolean;
  needsAttention: boolean;
  /** Every event row of the payment, oldest first (for the report, never judged). */
  trail?: string[];
}

export interface Verdict {
  payments: number;
  orders: number;
  byStatus: Record<string, number>;
  refundRows: number;
  lost: string[];
  phantom: string[];
  doubleCharges: string[];
  /** More than one provider transaction under one of our references. */
  duplicateTransactions: string[];
  booksMismatch: string[];
  unresolved: string[];
  refundsExceed: string[];
  wrongAmount: string[];
  /** Payment ids named by any finding (their traces go in the report). */
  flagged: string[];
  /** Per payment: what our books and the provider said, to see which payments changed between two checks. */
  state: Record<string, string>;
  ledgerEntries: number;
  netChargedTotal: number;
  refundedTotal: { ours: number; provider: number };
}

/** The provider's status words for a transaction the customer can still pay. */
export const OPEN_AT_PROVIDER: Record<ProviderName, readonly string[]> = {
  pockyt: ['init', 'dealing', 'pending'],
  centrapay: ['new'],
  payby: ['CREATED'],
};

const OPEN_REFUND = ['created', 'pending', 'unknown'];
const UNPAID: readonly PaymentStatus[] = ['failed', 'cancelled', 'expired'];
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** What the provider's ledger says our status should be, given how much it captured and gave back. */
function expectedStatuses(captured: boolean, open: boolean, refunded: number, amount: number): readonly PaymentStatus[] {
  if (!captured) return open ? ['created', 'pending', 'unknown'] : UNPAID;
  if (refunded === 0) return ['succeeded'];
  return refunded < amount ? ['partially_refunded'] : ['refunded', 'reversed'];
}

export function verify(rows: StoreRow[], ledger: LedgerEntry[]): Verdict {
  const key = (provider: string, reference: string | null) => `${provider}|${reference}`;
  const byRef = new Map<string, LedgerEntry[]>();
  for (const e of ledger) byRef.set(key(e.provider, e.reference), [...(byRef.get(key(e.provider, e.reference)) ?? []), e]);
  const known = new Set(rows.map((p) => key(p.provider, p.reference)));
  const v: Verdict = {
    payments: rows.length,
    orders: new Set(rows.map((p) => p.orderId)).size,
    byStatus: {},
    refundRows: 0,
    lost: [],
    phantom: [],
    doubleCharges: [],
    duplicateTransactions: [],
    booksMismatch: [],
    unresolved: [],
    refundsExceed: [],
    wrongAmount: [],
    flagged: [],
    state: {},
    ledgerEntries: ledger.length,
    netChargedTotal: 0,
    refundedTotal: { ours: 0, provider: 0 },
  };
  const chargedByOrder = new Map<string, { charged: number; amount: number }>();
  for (const p of rows) {
    v.byStatus[p.status] = (v.byStatus[p.status] ?? 0) + 1;
    v.refundRows += p.refunds.length;
    const entries = byRef.get(key(p.provider, p.reference)) ?? [];
    const net = sum(entries.map(netCharged));
    const captured = entries.some((e) => e.captured);
    const providerOpen = entries.some((e) => !e.captured && OPEN_AT_PROVIDER[p.provider].includes(e.status));
    const providerRefunded = sum(entries.map((e) => e.refundedMinor));
    // A void returns whatever was left; our books record it as the status, not as a refund row.
    const oursReturned = p.status === 'reversed' ? p.amount : p.refunded;
    const refundRowsSucceeded = sum(p.refunds.filter((r) => r.status === 'succeeded').map((r) => r.amount));
    const openRefunds = p.refunds.filter((r) => OPEN_REFUND.includes(r.status));
    v.netChargedTotal += net;
    v.refundedTotal.ours += oursReturned;
    v.refundedTotal.provider += providerRefunded;
    v.state[p.id] =
      `${p.status} ${p.refunded} [${p.refunds.map((r) => `${r.amount}:${r.status}`).join(',')}] / ${entries.map((e) => `${e.status}:${e.captured ? 'captured' : '-'}:${e.refundedMinor}`).join(',') || 'none'}`;
    const label = `${p.provider} ${p.id} (ours ${p.status}, refunded ${oursReturned} of ${p.amount}; provider ${entries.map((e) => e.status).join(',') || 'none'}${captured ? `, captured, refunded ${providerRefunded}` : ''})`;
    const found = (list: string[], why?: string) => {
      list.push(why ? `${label}: ${why}` : label);
      if (!v.flagged.includes(p.id)) v.flagged.push(p.id);
    };

    if (entries.length > 1) found(v.duplicateTransactions);
    if (entries.some((e) => e.amountMinor !== p.amount)) found(v.wrongAmount);
    if (p.refunded > p.amount || refundRowsSucceeded > p.amount)
      found(v.refundsExceed, `our books refund ${Math.max(p.refunded, refundRowsSucceeded)}`);
    if (entries.some((e) => e.refundedMinor > e.amountMinor || (!e.captured && e.refundedMinor > 0)))
      found(v.refundsExceed, `provider refunded ${providerRefunded}`);
    if (openRefunds.length > 0)
      found(v.unresolved, `refund ${openRefunds.map((r) => `${r.id} ${r.amount} ${r.status}`).join(', ')} still open`);
    if (isOpen(p.status)) found(v.unresolved);
    else if (net > 0 && UNPAID.includes(p.status)) found(v.lost);
    else if (!captured && p.status !== 'reversed' && !UNPAID.includes(p.status)) found(v.phantom);
    else {
      const expected = expectedStatuses(captured, providerOpen, providerRefunded, p.amount);
      const says =
        !captured && providerOpen ? 'still open (payable) at the provider' : `the provider's ledger says ${expected.join(' or ')}`;
      if (!expected.includes(p.status)) found(v.booksMismatch, `status: ${says}`);
      else if (captured && oursReturned !== providerRefunded)
        found(v.booksMismatch, `refunded sum: ours ${oursReturned}, provider ${providerRefunded}`);
      if (p.status !== 'reversed' && refundRowsSucceeded !== p.refunded)
        found(v.booksMismatch, `refund rows add up to ${refundRowsSucceeded}, the payment says ${p.refunded}`);
    }
    const o = chargedByOrder.get(p.orderId) ?? { charged: 0, amount: p.amount };
    o.charged += net;
    chargedByOrder.set(p.orderId, o);
  }
  for (const [orderId, o] of chargedByOrder)
    if (o.charged > o.amount) v.doubleCharges.push(`${orderId}: charged ${o.charged} for ${o.amount}`);
  // Money under a reference the proxy has never heard of is lost too (cannot happen if rows commit before sends).
  for (const e of ledger) {
    if (!known.has(key(e.provider, e.reference)) && netCharged(e) > 0)
      v.lost.push(`${e.provider} ${e.providerRef} (unknown reference ${e.reference})`);
  }
  return v;
}

export function holds(v: Verdict): boolean {
  return [v.lost, v.phantom, v.doubleCharges, v.duplicateTransactions, v.booksMismatch, v.unresolved, v.refundsExceed, v.wrongAmount].every(
    (l) => l.length === 0,
  );
}

/** Payments whose books or provider record changed between two checks (after the first had settled). */
export function drifted(before: Verdict, after: Verdict): string[] {
  return Object.keys(after.state)
    .filter((id) => before.state[id] !== after.state[id])
    .map((id) => `${id}: ${before.state[id] ?? 'absent'} → ${after.state[id]}`);
}
