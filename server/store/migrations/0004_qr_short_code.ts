import { type Kysely, type Migration } from 'kysely';

// Merchant-presented QR: the provider's short code (where it has one), for patrons who type instead of scanning.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('payments').addColumn('qr_short_code', 'text').execute();
    },
  };
}
