// A Postgres restart, failover or pg_terminate_backend can end a connection while the store has it checked out
// (a transaction between two statements, a query in flight). The pool only listens for errors on idle
// connections, so pg's 'error' event on a checked-out one used to be an uncaught exception: the whole proxy
// died. The soak caught it as an unhandled error in ops.test.ts, when the reconciler held a connection at the
// moment the readiness test cut the database off. Here the moment is forced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { freshPostgres } from './helpers/app.ts';

const pgAdmin = process.env.TEST_DATABASE_URL;

describe.skipIf(!pgAdmin)('Postgres connection lost while the store holds it', () => {
  let database: { url: string; drop(): Promise<void> };
  let store: Store;
  let admin: pg.Client;
  const uncaught: unknown[] = [];
  const record = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    database = await freshPostgres(pgAdmin!);
    store = await openMigratedStore(database.url);
    admin = new pg.Client({ connectionString: pgAdmin });
    await admin.connect();
    process.prependListener('uncaughtException', record);
  });

  afterAll(async () => {
    process.removeListener('uncaughtException', record);
    await store?.close();
    await admin?.end();
    await database?.drop();
  });

  /** Ends every backend of the store's database, as a restart or failover would. */
  const cutOff = () =>
    admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
      new URL(database.url).pathname.slice(1),
    ]);

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a transaction cut off between two statements fails as a rejected query, not a crash', async () => {
    uncaught.length = 0;
    const outcome = store.db
      .transaction()
      .execute(async (trx) => {
        const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0].pid;
        await admin.query('select pg_terminate_backend($1)', [pid]);
        // The socket's end reaches the client as an event while no query is active: the dangerous moment.
        await pause(300);
        await sql`select 1`.execute(trx);
      })
      .then(
        () => 'committed',
        (err: Error) => err.message,
      );
    expect(await outcome).toMatch(/terminat|not queryable|Connection/i);
    expect(uncaught).toEqual([]);
    // The dead connection went back to the pool and was dropped: the store works on a fresh one.
    const after = await sql<{ one: number }>`select 1 as one`.execute(store.db);
    expect(after.rows[0].one).toBe(1);
  });

  it('a query in flight when the database goes away is rejected, and the next one runs on a new connection', async () => {
    uncaught.length = 0;
    const slow = sql`select pg_sleep(5)`.execute(store.db).then(
      () => 'answered',
      (err: Error) => err.message,
    );
    await pause(200);
    await cutOff();
    expect(await slow).toMatch(/terminat/i);
    await pause(100);
    expect(uncaught).toEqual([]);
    const again = await sql<{ one: number }>`select 1 as one`.execute(store.db);
    expect(again.rows[0].one).toBe(1);
  });
});
