import { sql, type Kysely, type Migration } from 'kysely';

// The history's "end of a provider reference" search (issue 11: under 100 ms p95 at 100,000 payments). A
// receipt prints only the end of a long reference ("…345678ABCDEF"); `provider_ref LIKE '%…'` cannot use an
// index, so it read the store's whole history (192 ms p95). This index keys each payment by the last 8
// characters of its reference — an expression index, so no column to fill and no write path to change —
// and the search (store/history.ts, PROVIDER_REF_END) looks the typed tail's last 8 up, then checks the rest.
// Same SQL on SQLite and Postgres; both functions are deterministic, as an index expression must be.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`create index payments_store_provider_ref_end on payments (store_id, substr(provider_ref, length(provider_ref) - 7), created_at, id)`.execute(
        db,
      );
    },
  };
}
