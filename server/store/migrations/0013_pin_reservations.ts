import { type Kysely, type Migration } from 'kysely';

// PIN checks in flight (staff/throttle.ts): one row per attempt and scope, held while the slow hash runs and
// deleted when its verdict is recorded. Each row lapses at `expires_at`, so an attempt whose proxy died
// mid-check stops holding a slot instead of counting as a failure for ever.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('pin_reservations')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('attempt_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('pin_reservations_pk', ['scope', 'key', 'attempt_id'])
        .execute();
      await db.schema.createIndex('pin_reservations_attempt').on('pin_reservations').columns(['attempt_id']).execute();
    },
  };
}
