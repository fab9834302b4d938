import { sql, type Kysely, type Migration } from 'kysely';

// Two reads of issue 11 that must stay under 100 ms p95 at 100,000 payments, each given the index it lacked.
//
// The history's "end of a provider reference" search. A receipt prints only the end of a long reference
// ("…345678ABCDEF"); `provider_ref LIKE '%…'` cannot use an index, so it read the store's whole history
// (192 ms p95). This index keys each payment by the last 8 characters of its reference — an expression index,
// so no column to fill and no write path to change — and the search (store/history.ts, PROVIDER_REF_END) looks
// the typed tail's last 8 up, then checks the rest. Same SQL on SQLite and Postgres; both functions are
// deterministic, as an index expression must be.
//
// The day report's refund totals. Without statistics (the proxy never runs ANALYZE) SQLite chose the
// refunds_status index, i.e. every succeeded refund of all time, for a one-day report. This one starts with
// status and created_at, so the window is one range, and carries every column the totals read (covering).
// Likewise the day's open payments: the planner walked every payment of the day (one till's range at a time)
// to keep the open ones; (status, created_at, terminal_id) seeks only the open ones of the window.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`create index payments_store_provider_ref_end on payments (store_id, substr(provider_ref, length(provider_ref) - 7), created_at, id)`.execute(
        db,
      );
      await db.schema
        .createIndex('report_refunds_succeeded')
        .on('refunds')
        .columns(['status', 'created_at', 'terminal_id', 'payment_id', 'currency', 'amount_value', 'staff_id'])
        .execute();
      await db.schema.createIndex('report_payments_open').on('payments').columns(['status', 'created_at', 'terminal_id']).execute();
    },
  };
}
