import { type Kysely, type Migration } from 'kysely';

// Self-checkout (issue 12): a terminal's mode is kept by the proxy (terminals.self_checkout, 0/1) so a reload
// or a reboot of the tablet comes back in it; a customer's "Call staff" is a row in staff_calls, listed on
// the store's Attention list until a member of staff answers it at any till of the store.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('terminals')
        .addColumn('self_checkout', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('staff_calls')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('store_id', 'text', (c) => c.notNull())
        .addColumn('terminal_id', 'text', (c) => c.notNull())
        .addColumn('terminal_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('answered_at', 'text')
        .addColumn('answered_by', 'text')
        .execute();
      await db.schema.createIndex('staff_calls_open').on('staff_calls').columns(['store_id', 'answered_at', 'created_at']).execute();
    },
  };
}
