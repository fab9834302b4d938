import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../db.ts';

export function migration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('terminals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('store_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('pairing_codes')
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('store_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('payments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('terminal_id', 'text', (c) => c.notNull().references('terminals.id'))
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('vendor', 'text')
        .addColumn('amount_value', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('refunded_value', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('reference', 'text', (c) => c.notNull().unique())
        .addColumn('provider_ref', 'text')
        .addColumn('code_masked', 'text')
        .addColumn('qr_payload', 'text')
        .addColumn('qr_expires_at', 'text')
        .addColumn('failure_code', 'text')
        .addColumn('failure_message', 'text')
        .addColumn('needs_attention', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_check_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('payments_terminal_idem_key', ['terminal_id', 'idempotency_key'])
        .execute();
      // At most one open attempt per order, enforced by the database so two racing requests (or two proxy
      // instances) cannot both start charging the same order.
      await db.schema
        .createIndex('payments_one_open_per_order')
        .on('payments')
        .columns(['terminal_id', 'order_id'])
        .unique()
        .where(sql.ref('status'), 'in', ['created', 'pending', 'unknown'])
        .execute();
      await db.schema.createIndex('payments_order').on('payments').columns(['terminal_id', 'order_id']).execute();
      await db.schema.createIndex('payments_status').on('payments').columns(['status']).execute();
      let events = db.schema.createTable('payment_events');
      events =
        dialect === 'postgres'
          ? events.addColumn('id', 'serial', (c) => c.primaryKey())
          : events.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await events
        .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
        .addColumn('terminal_id', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('applied', 'integer', (c) => c.notNull())
        .addColumn('payload', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('payment_events_terminal').on('payment_events').columns(['terminal_id', 'id']).execute();
      await db.schema.createIndex('payment_events_payment').on('payment_events').columns(['payment_id', 'id']).execute();
    },
  };
}
