import { type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../db.ts';

export function migration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Why staff are asked to look (late payment, provider not answering, …) and since when.
      await db.schema.alterTable('payments').addColumn('attention_reason', 'text').execute();
      await db.schema.alterTable('payments').addColumn('attention_at', 'text').execute();
      // Notifications may name only the provider's id for a payment, not ours.
      await db.schema.createIndex('payments_provider_ref').on('payments').columns(['provider', 'provider_ref']).execute();
      // Every verified provider notification, raw body kept for audit. The unique index is the
      // de-duplication: a retried or replayed notification finds its first delivery instead of acting twice.
      let hooks = db.schema.createTable('webhook_events');
      hooks =
        dialect === 'postgres'
          ? hooks.addColumn('id', 'serial', (c) => c.primaryKey())
          : hooks.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await hooks
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
        .addColumn('raw_body', 'text', (c) => c.notNull())
        .addColumn('verified', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('webhook_events_provider_event', ['provider', 'event_id'])
        .execute();
      await db.schema.createIndex('webhook_events_payment').on('webhook_events').columns(['payment_id']).execute();
    },
  };
}
