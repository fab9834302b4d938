import { type Kysely, type Migration } from 'kysely';

// The reconciler's request budget per provider account (payments/token-bucket.ts) as a row, so every proxy
// on the database draws from one bucket and honours one Retry-After pause. Times are ms since the epoch
// (double precision is exact for them).
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('provider_budgets')
        .addColumn('account', 'text', (c) => c.primaryKey())
        .addColumn('tokens', 'double precision', (c) => c.notNull())
        .addColumn('refilled_at', 'double precision', (c) => c.notNull())
        .addColumn('paused_until', 'double precision', (c) => c.notNull())
        .execute();
    },
  };
}
