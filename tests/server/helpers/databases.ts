// Databases that outlive one app, for restart and several-proxies tests: SQLite files in a temp folder, or,
// with TEST_DATABASE_URL, fresh Postgres databases — so every such test runs on both stores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres } from './app.ts';

export interface DurableDatabases {
  /** The DATABASE_URL of the database called `name`: the same database every time for the same name. */
  url(name: string): Promise<string>;
  /** Removes every database handed out (call after the apps using them are closed). */
  drop(): Promise<void>;
}

export function durableDatabases(prefix: string, pgAdmin = process.env.TEST_DATABASE_URL): DurableDatabases {
  const urls = new Map<string, Promise<{ url: string; drop(): Promise<void> }>>();
  let dir: string | undefined;
  return {
    url(name) {
      let db = urls.get(name);
      if (!db) {
        if (pgAdmin) db = freshPostgres(pgAdmin);
        else {
          dir ??= mkdtempSync(join(tmpdir(), prefix));
          db = Promise.resolve({ url: `sqlite:${join(dir, name)}`, drop: async () => {} });
        }
        urls.set(name, db);
      }
      return db.then((d) => d.url);
    },
    async drop() {
      for (const db of urls.values()) await (await db.catch(() => null))?.drop();
      urls.clear();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
