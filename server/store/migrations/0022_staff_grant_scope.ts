import { type Kysely, type Migration } from 'kysely';

// Issue 11 (Day close without re-sending the PIN): a grant now says what it is good for (staff/roles.ts
// GRANT_SCOPES). `store_view` reads the store's history and day report; `day_close` reads the day report and
// closes the day. Grants recorded before this were all store views.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('staff_grants')
        .addColumn('scope', 'text', (c) => c.notNull().defaultTo('store_view'))
        .execute();
    },
  };
}
