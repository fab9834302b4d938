// The invariants, checked by comparing the providers' ledgers (GET <sim>/control/ledger) with the proxy's own
// store (its SQLite file, read directly):
//   lost           money the provider holds for a payment the proxy does not record as paid (or does not know)
//   phantom        a payment the proxy records as paid for which the provider holds no money
//   double charge  an order for which the providers hold more than one payment's worth of money
//   unresolved     payments still created/pending/unknown
import SQLite from 'better-sqlite3';
import { isOpen, isPaid, type PaymentStatus, type ProviderName } from '../../src/shared/payment.ts';
import { netCharged, type SimLedgerEntry } from '../../sandbox/common/ledger.ts';
import { ledgerOf } from '../lib/sims.ts';

export interface StoreRow {
  id: string;
  orderId: string;
  provider: ProviderName;
  reference: string;
  status: PaymentStatus;
  amount: number;
  late: boolean;
  needsAttention: boolean;
  /** For payments still open: their last events (source, from → to, applied), to say where they hang. */
  trail?: string;
}

export interface Verdict {
  payments: number;
  orders: number;
  byStatus: Record<string, number>;
  lost: string[];
  phantom: string[];
  doubleCharges: string[];
  /** More than one provider transaction under one of our references. */
  duplicateTransactions: string[];
  unresolved: string[];
  wrongAmount: string[];
  ledgerEntries: number;
  netChargedTotal: number;
}

export function readStore(file: string): StoreRow[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('select id, order_id, provider, reference, status, amount_value, late, needs_attention from payments').all() as Record<string, unknown>[];
    const events = db.prepare('select source, from_status, to_status, applied, created_at from payment_events where payment_id = ? order by id desc limit 4');
    return rows.map((r) => {
      const status = r.status as PaymentStatus;
      const trail = isOpen(status)
        ? (events.all(r.id) as { created_at: string; source: string; from_status: string | null; to_status: string; applied: number }[]).reverse().map((e) => `${e.created_at} ${e.source}:${e.from_status}>${e.to_status}${e.applied ? '' : '(refused)'}`).join(' | ')
        : undefined;
      return {
        id: String(r.id), orderId: String(r.order_id), provider: r.provider as ProviderName, reference: String(r.reference),
        status, amount: Number(r.amount_value), late: Number(r.late) === 1, needsAttention: Number(r.needs_attention) === 1, trail,
      };
    });
  } finally {
    db.close();
  }
}

export async function readLedgers(controls: Record<ProviderName, string>): Promise<(SimLedgerEntry & { provider: ProviderName })[]> {
  const all = await Promise.all((Object.entries(controls) as [ProviderName, string][]).map(async ([provider, c]) => (await ledgerOf(c)).map((e) => ({ ...e, provider }))));
  return all.flat();
}

export function verify(rows: StoreRow[], ledger: (SimLedgerEntry & { provider: ProviderName })[]): Verdict {
  const key = (provider: string, reference: string | null) => `${provider}|${reference}`;
  const byRef = new Map<string, (SimLedgerEntry & { provider: ProviderName })[]>();
  for (const e of ledger) byRef.set(key(e.provider, e.reference), [...(byRef.get(key(e.provider, e.reference)) ?? []), e]);
  const known = new Set(rows.map((p) => key(p.provider, p.reference)));
  const v: Verdict = {
    payments: rows.length, orders: new Set(rows.map((p) => p.orderId)).size, byStatus: {}, lost: [], phantom: [], doubleCharges: [],
    duplicateTransactions: [], unresolved: [], wrongAmount: [], ledgerEntries: ledger.length, netChargedTotal: 0,
  };
  const chargedByOrder = new Map<string, { charged: number; amount: number }>();
  for (const p of rows) {
    v.byStatus[p.status] = (v.byStatus[p.status] ?? 0) + 1;
    const entries = byRef.get(key(p.provider, p.reference)) ?? [];
    const net = entries.reduce((s, e) => s + netCharged(e), 0);
    v.netChargedTotal += net;
    const label = `${p.provider} ${p.id} (${p.status}, provider: ${entries.map((e) => e.status).join(',') || 'none'})`;
    if (entries.length > 1) v.duplicateTransactions.push(label);
    if (isOpen(p.status)) v.unresolved.push(`${label} ${p.trail ?? ''}`);
    else if (net > 0 && !isPaid(p.status)) v.lost.push(label);
    else if (isPaid(p.status) && p.status !== 'refunded' && net === 0) v.phantom.push(label);
    else if (isPaid(p.status) && net > 0 && net !== p.amount) v.wrongAmount.push(label);
    const o = chargedByOrder.get(p.orderId) ?? { charged: 0, amount: p.amount };
    o.charged += net;
    chargedByOrder.set(p.orderId, o);
  }
  for (const [orderId, o] of chargedByOrder) if (o.charged > o.amount) v.doubleCharges.push(`${orderId}: charged ${o.charged} for ${o.amount}`);
  // Money under a reference the proxy has never heard of is lost too (cannot happen if rows commit before sends).
  for (const e of ledger) {
    if (!known.has(key(e.provider, e.reference)) && netCharged(e) > 0) v.lost.push(`${e.provider} ${e.providerRef} (unknown reference ${e.reference})`);
  }
  return v;
}

export function holds(v: Verdict): boolean {
  return v.lost.length === 0 && v.phantom.length === 0 && v.doubleCharges.length === 0 && v.duplicateTransactions.length === 0
    && v.unresolved.length === 0 && v.wrongAmount.length === 0;
}
