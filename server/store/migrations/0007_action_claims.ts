import { type Kysely, type Migration } from 'kysely';

// A money-moving staff action's hold on a payment (store/action-claims.ts): taken with a compare-and-set
// in the database, so it holds across requests, restarts and several proxies on one database.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('payments').addColumn('action_claim', 'text').execute();
      await db.schema.alterTable('payments').addColumn('action_kind', 'text').execute();
      await db.schema.alterTable('payments').addColumn('action_since', 'text').execute();
      await db.schema.createIndex('payments_action_kind').on('payments').columns(['action_kind']).execute();
    },
  };
}
