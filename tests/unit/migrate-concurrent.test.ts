// Several proxies starting at once on a fresh Postgres database each run the migrations at boot. Kysely's
// Migrator takes a Postgres advisory lock (pg_advisory_lock) around the run and re-reads what has been applied
// once it holds it, so exactly one of them migrates and the others find the schema current. This starts three
// migrators at the same moment, each on its own connection pool as separate instances would, and checks that
// all three succeed and every migration ran once. (Postgres only — TEST_DATABASE_URL: SQLite is one process.)
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '../../server/store/db.ts';
import { migrateToLatest, migrationNames, migrationStatus } from '../../server/store/migrations/index.ts';
import { freshPostgres } from '../server/helpers/app.ts';

const pgAdmin = process.env.TEST_DATABASE_URL;

describe.runIf(pgAdmin)('migrations with several instances starting at once (Postgres)', () => {
  const stores: Store[] = [];
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    for (const s of stores) await s.close();
    await drop?.();
  });

  it('three migrators started together on a fresh database: all succeed, each migration runs once', async () => {
    const db = await freshPostgres(pgAdmin!);
    drop = () => db.drop();
    for (let i = 0; i < 3; i++) stores.push(openStore(db.url));
    const results = await Promise.allSettled(stores.map((s) => migrateToLatest(s.db, s.dialect)));
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);

    const rows = await sql<{
      name: string;
      n: string;
    }>`select name, count(*) as n from kysely_migration group by name order by name`.execute(stores[0].db);
    expect(rows.rows.map((r) => [r.name, Number(r.n)])).toEqual(migrationNames('postgres').map((n) => [n, 1]));
    expect(await migrationStatus(stores[0].db, 'postgres')).toEqual({ pending: [], unknown: [] });
    // The latest migration's columns are there (it ran, and ran whole).
    const cols = await sql<{
      column_name: string;
    }>`select column_name from information_schema.columns where table_name = 'payments' and column_name like 'lease_%' order by column_name`.execute(
      stores[0].db,
    );
    expect(cols.rows.map((r) => r.column_name)).toEqual(['lease_call', 'lease_owner', 'lease_until']);
  });
});
