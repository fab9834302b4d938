import { type Kysely, type Migration } from 'kysely';

// Who works a payment or a refund right now (store/leases.ts): the instance that holds the row's lease until
// lease_until, and on payments which provider call of its own is under way (lease_call) and whether a cashier
// asked to cancel while a charge was still out (cancel_requested_at) — so that any instance can honour it.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('payments').addColumn('lease_owner', 'text').execute();
      await db.schema.alterTable('payments').addColumn('lease_until', 'text').execute();
      await db.schema.alterTable('payments').addColumn('lease_call', 'text').execute();
      await db.schema.alterTable('payments').addColumn('cancel_requested_at', 'text').execute();
      await db.schema.createIndex('payments_status_next_check').on('payments').columns(['status', 'next_check_at']).execute();
      await db.schema.alterTable('refunds').addColumn('lease_owner', 'text').execute();
      await db.schema.alterTable('refunds').addColumn('lease_until', 'text').execute();
    },
  };
}
