import { type Kysely, type Migration } from 'kysely';

// Wrong-PIN limits as rows (staff/throttle.ts), one per (scope, key): a tablet, a store, a staff member.
// In the database so a restart does not clear a lockout and every proxy on the database shares it.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('pin_throttle')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('lockouts', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('pin_throttle_pk', ['scope', 'key'])
        .execute();
    },
  };
}
