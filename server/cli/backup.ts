// `npm run backup [-- --dir <folder>]`: a consistent copy of the SQLite database (DATABASE_URL) while the
// proxy runs, to <folder>/kiosk-<UTC time>.sqlite (default ./data/backups).
// `npm run backup -- --restore <file>`: puts a copy back — stop the proxy first (README "Backup and restore").
// Postgres is backed up with its own tools (pg_dump, WAL archiving): this tool says so and stops.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { backupSqlite, restoreSqlite } from '../store/backup.ts';
import { sqlitePath } from '../store/db.ts';

const USAGE = 'Usage: npm run backup -- [--dir <folder>] | --restore <backup file>';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let values;
  try {
    values = parseArgs({ options: { dir: { type: 'string' }, restore: { type: 'string' } }, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. ${USAGE}`);
  }
  const config = loadConfig(process.env);
  if (!config.databaseUrl.startsWith('sqlite:')) {
    throw new ConfigError('DATABASE_URL is Postgres: back it up with pg_dump and WAL archiving (README "Backup and restore").');
  }
  const dbPath = sqlitePath(config.databaseUrl);
  if (dbPath === ':memory:') throw new ConfigError('An in-memory database has nothing to back up.');
  if (values.restore) {
    await restoreSqlite(values.restore, dbPath);
    console.log(`Restored ${values.restore} into ${dbPath}. Start the proxy again.`);
    return;
  }
  const file = await backupSqlite(dbPath, values.dir ?? 'data/backups');
  console.log(`Backed up ${dbPath} to ${file}`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `Error: ${err.message}` : err);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
