// Receipt numbers (issue 11, item 9): YYYYMMDD-NNNN, per store and business day, given once — in the same
// transaction as the payment's first `succeeded` — so a failed or cancelled attempt never takes a number
// and a number is never given twice. The per-day counter is bumped with one upsert: on Postgres its row
// lock makes concurrent successes (also from several proxies) wait for each other; SQLite has one writer.
// A rolled-back success gives its number back with the rest of its transaction, so printed numbers have
// no gaps. The e-receipt token is made at the same moment: 256 random bits, the only key to /r/<token>.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';

/** 0042 → 4 digits; a store past 9,999 sales a day gets 5 (still unique, still sorts within the day). */
export function formatReceiptNo(day: string, n: number): string {
  return `${day.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
}

export function newReceiptToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Gives `p` its receipt number and e-receipt token unless it has them (only rows from before migration
 *  0010 lack a store or day; they get none). Call inside the transaction that makes it `succeeded`. */
export async function assignReceipt(trx: Transaction<Database>, p: Payment): Promise<void> {
  if (p.receiptNo !== null || p.storeId === null || p.businessDay === null) return;
  const row = await trx
    .insertInto('receipt_counters')
    .values({ store_id: p.storeId, business_day: p.businessDay, last_number: 1 })
    .onConflict((oc) =>
      oc.columns(['store_id', 'business_day']).doUpdateSet((eb) => ({ last_number: eb('receipt_counters.last_number', '+', 1) })),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('payments')
    .set({ receipt_no: formatReceiptNo(p.businessDay, Number(row.last_number)), receipt_token: newReceiptToken() })
    .where('id', '=', p.id)
    .where('receipt_no', 'is', null)
    .execute();
}
