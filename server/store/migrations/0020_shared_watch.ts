import { type Kysely, type Migration } from 'kysely';

// Whether a kiosk is watching a payment, where every proxy on the database can see it: the instance that
// serves a kiosk's read of the payment marks it watched until `payments.watched_until`, and the instance
// holding a kiosk's event stream keeps `terminals.stream_until` ahead of now while the stream is open. The
// payment's lease holder — possibly another instance — polls it at the watched cadence while either is in the
// future (payments/shared-watch.ts). ISO-8601 UTC text, like every timestamp here.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('payments').addColumn('watched_until', 'text').execute();
      await db.schema.alterTable('terminals').addColumn('stream_until', 'text').execute();
    },
  };
}
