// History search queries (issue 11, item 1). One keyset page: newest first by (created_at, id), within a
// store (and optionally one terminal of it), each filter a plain column comparison the indexes of migration
// 0010 serve. A free-text search is run as a few exact lookups (one query each, see payments/history.ts),
// so every query here walks one index instead of scanning the store.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { toPayment, type Payment } from './payments.ts';
import type { Database } from './schema.ts';

export interface HistoryFilter {
  storeId: string;
  /** Terminal scope: only this terminal's sales (of this store). */
  terminalId?: string;
  /** ISO 8601 UTC: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  statuses?: string[];
  providers?: string[];
  vendors?: string[];
  /** Keyset: only rows strictly older than this (created_at, id). */
  before?: { createdAt: string; id: string };
  limit: number;
}

/** One way to read the free-text `q`: a condition on one indexed column. */
export type SearchLeg =
  | { kind: 'amount'; value: number }
  | { kind: 'code'; suffix: string }
  | { kind: 'receipt'; number: string }
  | { kind: 'providerRef'; ref: string }
  | { kind: 'providerRefEnd'; tail: string };
// (LIKE patterns are built only from letters, digits and '-': payments/history.ts makes no leg for anything else.)

type Eb = ExpressionBuilder<Database, 'payments'>;

/** A provider reference's last 8 characters: exactly the expression indexed by migration 0016 (the planner
 *  matches the text), so a tail search (at least this long: payments/history.ts) is an index lookup. */
const PROVIDER_REF_END_LENGTH = 8;
const PROVIDER_REF_END = sql<string>`substr(provider_ref, length(provider_ref) - 7)`;

function legCondition(eb: Eb, leg: SearchLeg) {
  switch (leg.kind) {
    case 'amount':
      return eb('amount_value', '=', leg.value);
    case 'code':
      return leg.suffix.length === 4 ? eb('code_last4', '=', leg.suffix) : eb('code_last4', 'like', `%${leg.suffix}`);
    case 'receipt':
      return eb('receipt_no', '=', leg.number);
    case 'providerRef':
      return eb('provider_ref', '=', leg.ref);
    case 'providerRefEnd':
      // The index of migration 0016 finds the tail's last 8 characters; LIKE checks the rest of it.
      return eb.and([eb(PROVIDER_REF_END, '=', leg.tail.slice(-PROVIDER_REF_END_LENGTH)), eb('provider_ref', 'like', `%${leg.tail}`)]);
  }
}

/** One keyset page's query, not yet run (tests read its plan). */
export function historyQuery(db: Kysely<Database>, f: HistoryFilter, leg?: SearchLeg) {
  let q = db.selectFrom('payments').selectAll().where('store_id', '=', f.storeId);
  if (f.terminalId !== undefined) q = q.where('terminal_id', '=', f.terminalId);
  if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('created_at', '<', f.to);
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
  if (f.providers?.length) q = q.where('provider', 'in', f.providers);
  if (f.vendors?.length) q = q.where('vendor', 'in', f.vendors);
  const before = f.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
    );
  }
  if (leg) q = q.where((eb) => legCondition(eb, leg));
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit);
}

export async function searchPayments(db: Kysely<Database>, f: HistoryFilter, leg?: SearchLeg): Promise<Payment[]> {
  return (await historyQuery(db, f, leg).execute()).map(toPayment);
}
