import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../db.ts';

// Sales history and receipt numbers (issue 11, items 1-3 and 9).
//   store_id      the store a payment was taken for, fixed at creation: a demo terminal can switch stores
//                 later, and store-scope history must never show another store's sales.
//   business_day  YYYY-MM-DD in the store's timezone at creation: the day part of the receipt number.
//                 Earlier rows get their UTC date (their store's timezone was not recorded).
//   code_last4    the last digits of the masked customer code, so "code ends in 0042" is an index lookup.
//   receipt_no    YYYYMMDD-NNNN, unique per store, given once when the payment first succeeds.
//   receipt_token the e-receipt page's random token (256 bits, unguessable; see payments/receipts.ts).
// receipt_counters holds the last number given per store and business day; an upsert on it serialises
// concurrent successes on Postgres (row lock) and SQLite (one writer), across instances.
export function migration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const column of ['store_id', 'business_day', 'code_last4', 'receipt_no', 'receipt_token']) {
        await db.schema.alterTable('payments').addColumn(column, 'text').execute();
      }
      await sql`update payments set store_id = (select t.store_id from terminals t where t.id = payments.terminal_id)`.execute(db);
      await sql`update payments set business_day = substr(created_at, 1, 10)`.execute(db);
      const last4 = dialect === 'postgres' ? sql`right(code_masked, 4)` : sql`substr(code_masked, -4)`;
      await sql`update payments set code_last4 = ${last4} where code_masked is not null`.execute(db);

      await db.schema
        .createTable('receipt_counters')
        .addColumn('store_id', 'text', (c) => c.notNull())
        .addColumn('business_day', 'text', (c) => c.notNull())
        .addColumn('last_number', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('receipt_counters_pk', ['store_id', 'business_day'])
        .execute();

      // History pages walk these newest first (created_at, id) within a store or one till of it; q's lookups
      // (amount, code suffix, provider reference, receipt number) each have their own.
      const index = (name: string, columns: string[]) => db.schema.createIndex(name).on('payments').columns(columns);
      await index('payments_terminal_history', ['store_id', 'terminal_id', 'created_at', 'id']).execute();
      await index('payments_store_history', ['store_id', 'created_at', 'id']).execute();
      await index('payments_store_amount', ['store_id', 'amount_value', 'created_at', 'id']).execute();
      await index('payments_store_code', ['store_id', 'code_last4', 'created_at', 'id']).execute();
      await index('payments_store_provider_ref', ['store_id', 'provider_ref', 'created_at', 'id']).execute();
      await index('payments_store_receipt', ['store_id', 'receipt_no']).unique().execute();
      await index('payments_receipt_token', ['receipt_token']).unique().execute();
    },
  };
}
