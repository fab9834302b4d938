import { type Kysely, type Migration } from 'kysely';

// Issue 11 (staff and terminals): who took each sale (payments.staff_id; refunds and the audit log already
// name their staff), when each tablet was last heard from (terminals.last_seen_at, written at most about once
// a minute), and the staff member signed in at each tablet (one row per terminal: signing in replaces it,
// signing out or idling past STAFF_IDLE_MS ends it).
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('payments').addColumn('staff_id', 'text').execute();
      await db.schema.alterTable('terminals').addColumn('last_seen_at', 'text').execute();
      await db.schema
        .createTable('staff_sessions')
        .addColumn('terminal_id', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull())
        .addColumn('staff_name', 'text', (c) => c.notNull())
        .addColumn('staff_role', 'text', (c) => c.notNull())
        .addColumn('signed_in_at', 'text', (c) => c.notNull())
        .addColumn('last_active_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
