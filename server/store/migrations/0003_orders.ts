import { type Kysely, type Migration } from 'kysely';

// Orders uploaded by kiosks (POST /api/orders). The composite primary key is the idempotency guarantee:
// one row per (terminal, client order id), however many tabs or retries send it at once.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('orders')
        .addColumn('terminal_id', 'text', (c) => c.notNull().references('terminals.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('lines_json', 'text', (c) => c.notNull())
        .addColumn('total_value', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        .addColumn('client_created_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('orders_pk', ['terminal_id', 'id'])
        .execute();
      await db.schema.createIndex('orders_terminal_status').on('orders').columns(['terminal_id', 'status', 'updated_at']).execute();
    },
  };
}
