import { type Kysely, type Migration } from 'kysely';

// Day close (issue 11): the Z reports that close a business day per terminal or per store, each with the
// totals it froze; the differences reconciliation found between our books and a provider's (a difference
// may have no payment of ours — money we never recorded — so it lives in its own table, not on a payment);
// and the indexes the day report reads by (its window is on created_at).
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('z_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // 'terminal' | 'store'; scope_key is the terminal's id or the store's id.
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('scope_key', 'text', (c) => c.notNull())
        .addColumn('store_id', 'text', (c) => c.notNull())
        .addColumn('business_date', 'text', (c) => c.notNull())
        // Consecutive per scope_key, from 1: the number printed on the Z.
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('window_end', 'text', (c) => c.notNull())
        // The day report as it stood at closing (JSON): a Z never changes after it is recorded.
        .addColumn('totals', 'text', (c) => c.notNull())
        .addColumn('closed_by_staff_id', 'text')
        .addColumn('closed_by_name', 'text')
        .addColumn('closed_by_terminal_id', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text', (c) => c.notNull())
        .execute();
      // One Z per scope and day (closing twice returns the first), and numbers never repeat.
      await db.schema.createIndex('z_reports_day').on('z_reports').columns(['scope', 'scope_key', 'business_date']).unique().execute();
      await db.schema.createIndex('z_reports_number').on('z_reports').columns(['scope', 'scope_key', 'number']).unique().execute();

      await db.schema
        .createTable('reconciliation_differences')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // provider|kind|provider_ref|reference: the same difference found again updates its row.
        .addColumn('diff_key', 'text', (c) => c.notNull().unique())
        .addColumn('store_id', 'text', (c) => c.notNull())
        .addColumn('business_date', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        // 'missing_here' | 'missing_at_provider' | 'amount' | 'status' | 'refunded'
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('provider_ref', 'text')
        .addColumn('reference', 'text')
        .addColumn('payment_id', 'text')
        .addColumn('terminal_id', 'text')
        .addColumn('currency', 'text')
        .addColumn('ours_value', 'bigint')
        .addColumn('theirs_value', 'bigint')
        .addColumn('ours_status', 'text')
        .addColumn('theirs_status', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        // Set when a later reconciliation finds the two sides agreeing again.
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema
        .createIndex('reconciliation_differences_open')
        .on('reconciliation_differences')
        .columns(['store_id', 'resolved_at', 'business_date'])
        .execute();

      // Covering: the day's groups are read from the index alone, never the wide payment rows.
      await db.schema
        .createIndex('report_payments_created')
        .on('payments')
        .columns(['created_at', 'terminal_id', 'currency', 'provider', 'vendor', 'status', 'amount_value'])
        .execute();
      await db.schema.createIndex('report_payments_terminal_created').on('payments').columns(['terminal_id', 'created_at']).execute();
      await db.schema.createIndex('report_refunds_created').on('refunds').columns(['created_at']).execute();
    },
  };
}
