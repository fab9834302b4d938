// Online backup of the SQLite store: SQLite's backup API (better-sqlite3 `.backup()`) copies the database
// from a read transaction while the proxy keeps writing, so the copy is one consistent snapshot — never a torn
// file as `cp` of a live WAL database can give. All pages go in ONE step: copied in small steps, every write
// the proxy commits in between restarts the copy from the start, and a busy till could keep it restarting
// for ever. In WAL mode that one read transaction does not block the proxy's writes. The copy is switched
// out of WAL mode (one self-contained file) and checked (`PRAGMA integrity_check`) before it is reported.
// Restore goes the same way in reverse, into the database path, with the proxy stopped.
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';

/** A file name that sorts by time and is safe on every filesystem: kiosk-20261205T023000123Z.sqlite */
export function backupFileName(now = new Date()): string {
  return `kiosk-${now.toISOString().replace(/[-:.]/g, '')}.sqlite`;
}

const ALL_AT_ONCE = () => 0x7fffffff;

function assertIntact(path: string, opts: { standalone?: boolean } = {}): void {
  const db = new SQLite(path, { readonly: !opts.standalone, fileMustExist: true });
  try {
    if (opts.standalone) db.pragma('journal_mode = DELETE');
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`${path} failed its integrity check: ${String(result)}`);
  } finally {
    db.close();
  }
}

/** Copies the live database at `dbPath` into `dir` (created if missing); returns the new file's path. */
export async function backupSqlite(dbPath: string, dir: string, now = new Date()): Promise<string> {
  if (!existsSync(dbPath)) throw new Error(`No database at ${dbPath}`);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, backupFileName(now));
  if (existsSync(target)) throw new Error(`${target} exists already`);
  const source = new SQLite(dbPath, { fileMustExist: true });
  try {
    // A writer holds the lock for milliseconds; wait for it rather than fail the step.
    source.pragma('busy_timeout = 5000');
    await source.backup(target, { progress: ALL_AT_ONCE });
  } finally {
    source.close();
  }
  assertIntact(target, { standalone: true });
  return target;
}

/** Restores `backupPath` over the database at `dbPath` (the proxy must be stopped). The backup is checked
 *  first; the copy goes through SQLite, so the target's own WAL is handled, not left stale beside it. */
export async function restoreSqlite(backupPath: string, dbPath: string): Promise<void> {
  assertIntact(backupPath);
  const source = new SQLite(backupPath, { readonly: true, fileMustExist: true });
  try {
    await source.backup(dbPath, { progress: ALL_AT_ONCE });
  } finally {
    source.close();
  }
  assertIntact(dbPath);
}
