// Opens the store named by DATABASE_URL: embedded SQLite (one box) or Postgres (many proxies, DESIGN §11).
// The rest of the server only sees a Kysely<Database>, so queries are written once for both dialects.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrations/index.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

export function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return path === ':memory:' ? path : resolve(path);
}

export function openStore(databaseUrl: string): Store {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = sqlitePath(databaseUrl);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const database = new SQLite(path);
    // WAL lets readers (SSE resume, GETs) proceed while a transition commits; NORMAL sync is durable in WAL
    // across process crashes, which is the failure we care about on a kiosk box.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle connection dropped by the server (restart, failover) must not crash the proxy: the pool
  // replaces it, and the next query reports any lasting problem where it can be handled.
  pool.on('error', () => {});
  // The pool listens only on idle connections. One the store has checked out (a transaction between two
  // statements) that loses its backend emits 'error' with no listener, an uncaught exception that kills the
  // whole proxy. Its queries are rejected anyway, so the transaction fails where it can be handled, and the
  // pool drops the dead connection when it comes back.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** Opens the store and brings its schema up to date (server boot and `npm run pair`). */
export async function openMigratedStore(databaseUrl: string): Promise<Store> {
  const store = openStore(databaseUrl);
  try {
    await migrateToLatest(store.db, store.dialect);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
