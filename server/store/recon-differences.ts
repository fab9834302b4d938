// reconciliation_differences: what a reconciliation found that does not agree with the provider, one row
// per difference (found again → last_seen_at moves; agreeing again → resolved_at is set). The Attention
// list shows the unresolved ones of the terminal's store.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, ReconciliationDifferencesTable } from './schema.ts';

export type DifferenceKind = 'missing_here' | 'missing_at_provider' | 'amount' | 'status' | 'refunded';

export interface Difference {
  provider: string;
  kind: DifferenceKind;
  providerRef: string | null;
  reference: string | null;
  paymentId: string | null;
  terminalId: string | null;
  currency: string | null;
  oursValue: number | null;
  theirsValue: number | null;
  oursStatus: string | null;
  theirsStatus: string | null;
  message: string;
}

export interface StoredDifference extends Difference {
  id: string;
  storeId: string;
  businessDate: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

const keyOf = (d: Difference) => [d.provider, d.kind, d.providerRef ?? '', d.reference ?? ''].join('|');

function toStored(r: ReconciliationDifferencesTable): StoredDifference {
  const n = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    id: r.id,
    storeId: r.store_id,
    businessDate: r.business_date,
    provider: r.provider,
    kind: r.kind as DifferenceKind,
    providerRef: r.provider_ref,
    reference: r.reference,
    paymentId: r.payment_id,
    terminalId: r.terminal_id,
    currency: r.currency,
    oursValue: n(r.ours_value),
    theirsValue: n(r.theirs_value),
    oursStatus: r.ours_status,
    theirsStatus: r.theirs_status,
    message: r.message,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
  };
}

/** Replaces the open differences of (store, day, provider) with `found`: new ones inserted, known ones
 *  touched, those no longer found resolved. */
export async function saveDifferences(
  db: Kysely<Database>,
  storeId: string,
  date: string,
  provider: string,
  found: Difference[],
): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    const keys = new Set(found.map(keyOf));
    const open = await trx
      .selectFrom('reconciliation_differences')
      .select(['id', 'diff_key'])
      .where('store_id', '=', storeId)
      .where('business_date', '=', date)
      .where('provider', '=', provider)
      .where('resolved_at', 'is', null)
      .execute();
    for (const row of open) {
      if (!keys.has(row.diff_key))
        await trx.updateTable('reconciliation_differences').set({ resolved_at: now }).where('id', '=', row.id).execute();
    }
    for (const d of found) {
      const key = keyOf(d);
      const values = {
        store_id: storeId,
        business_date: date,
        provider: d.provider,
        kind: d.kind,
        provider_ref: d.providerRef,
        reference: d.reference,
        payment_id: d.paymentId,
        terminal_id: d.terminalId,
        currency: d.currency,
        ours_value: d.oursValue,
        theirs_value: d.theirsValue,
        ours_status: d.oursStatus,
        theirs_status: d.theirsStatus,
        message: d.message,
        last_seen_at: now,
        resolved_at: null,
      };
      const updated = await trx.updateTable('reconciliation_differences').set(values).where('diff_key', '=', key).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        await trx
          .insertInto('reconciliation_differences')
          .values({ id: randomUUID(), diff_key: key, first_seen_at: now, ...values })
          .execute();
      }
    }
  });
}

export async function listOpenDifferences(db: Kysely<Database>, storeId: string): Promise<StoredDifference[]> {
  const rows = await db
    .selectFrom('reconciliation_differences')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('resolved_at', 'is', null)
    .orderBy('first_seen_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toStored);
}
