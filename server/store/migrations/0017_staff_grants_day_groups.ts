import { type Kysely, type Migration } from 'kysely';

// Issue 11 (speed of the store-scope history): a short-lived, read-only grant a supervisor's PIN buys for the
// tablet it was typed at (staff/grants.ts), so the pages and searches after the first are not each a scrypt
// PIN check. Only the token's SHA-256 is kept; the row names who vouched and until when.
// And (the day report): its pass over the day's payments for their distinct groups fetched every payment row
// of the day through report_payments_terminal_created (terminal, created_at); with the group's columns in
// the index that pass reads the index alone (bench/report: about 3x faster at 100,000 payments a day).
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('staff_grants')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('terminal_id', 'text', (c) => c.notNull())
        .addColumn('staff_id', 'text', (c) => c.notNull())
        .addColumn('staff_name', 'text', (c) => c.notNull())
        .addColumn('staff_role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_grants_expires').on('staff_grants').column('expires_at').execute();
      await db.schema
        .createIndex('report_payments_day_groups')
        .on('payments')
        .columns(['terminal_id', 'created_at', 'status', 'currency', 'provider', 'vendor'])
        .execute();
    },
  };
}
