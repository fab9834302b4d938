// `npm run backup`: a consistent copy of the SQLite store taken while the proxy is writing, restored into the
// database path, finds every row committed before the copy began and none made after it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupSqlite, restoreSqlite } from '../../server/store/backup.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { paidSale } from './helpers/staff-session.ts';

const dirs: string[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kiosk-backup-'));
  dirs.push(d);
  return d;
}

async function start(dbPath: string): Promise<{ server: TestServer; k: Kiosk }> {
  const server = await startServer({ ...NO_IPN, DATABASE_URL: `sqlite:${dbPath}` });
  servers.push(server);
  return { server, k: new Kiosk(server.baseUrl, server.token) };
}

const paymentIds = (path: string): string[] => {
  const db = new SQLite(path, { readonly: true });
  try {
    return (db.prepare('select id from payments').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
};

describe('backup and restore (SQLite)', () => {
  it('copies the database while sales are being written, and a restore brings back exactly what was committed before', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'kiosk.db');
    const { server, k } = await start(dbPath);
    // Enough pages that the copy takes several steps, so writes land between them.
    const padding = 'x'.repeat(2000);
    for (let i = 0; i < 10; i++) {
      await server.app.kiosk.db
        .insertInto('audit_log')
        .values(
          Array.from({ length: 200 }, () => ({
            at: new Date().toISOString(),
            terminal_id: null,
            staff_id: null,
            staff_name: null,
            staff_role: null,
            action: 'recheck',
            outcome: 'padding',
            payment_id: null,
            refund_id: null,
            amount_value: null,
            currency: null,
            detail: padding,
          })),
        )
        .execute();
    }
    const before: string[] = [];
    for (let i = 0; i < 5; i++) before.push((await paidSale(k)).body.id);

    let writing = true;
    const during: string[] = [];
    const writer = (async () => {
      while (writing) during.push((await paidSale(k)).body.id);
    })();
    await new Promise((r) => setTimeout(r, 100));
    const file = await backupSqlite(dbPath, join(dir, 'backups'));
    writing = false;
    await writer;
    expect(during.length).toBeGreaterThan(0);
    const after = (await paidSale(k)).body.id as string;
    await server.close();
    servers.pop();

    const copied = paymentIds(file);
    for (const id of before) expect(copied).toContain(id);
    expect(copied).not.toContain(after);
    // Each sale during the copy is either wholly in it or not at all (one snapshot, not a torn file).
    const snapshot = new SQLite(file, { readonly: true });
    const orphanEvents = snapshot
      .prepare('select count(*) n from payments p where not exists (select 1 from payment_events e where e.payment_id = p.id)')
      .get() as { n: number };
    snapshot.close();
    expect(orphanEvents.n).toBe(0);

    await restoreSqlite(file, dbPath);
    const restored = paymentIds(dbPath);
    expect(restored.sort()).toEqual([...copied].sort());
    expect(restored).not.toContain(after);
    // The proxy starts on the restored database and serves its sales.
    const again = await start(dbPath);
    const rows = await again.server.app.kiosk.db.selectFrom('payments').select('id').where('id', 'in', before).execute();
    expect(rows).toHaveLength(before.length);
  });

  it('npm run backup writes a timestamped copy and refuses Postgres', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'kiosk.db');
    const { k } = await start(dbPath);
    const sale = (await paidSale(k)).body.id as string;
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: `sqlite:${dbPath}`, DEMO: '1' };
    const out = await run('npx', ['tsx', 'server/cli/backup.ts', '--dir', join(dir, 'out')], { env });
    const files = readdirSync(join(dir, 'out'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^kiosk-\d{8}T\d{9}Z\.sqlite$/);
    expect(out.stdout).toContain(files[0]);
    expect(paymentIds(join(dir, 'out', files[0]))).toContain(sale);
    const pg = await run('npx', ['tsx', 'server/cli/backup.ts'], {
      env: { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' },
    }).catch((e) => e);
    expect(pg.code).toBe(78);
    expect(pg.stderr).toContain('pg_dump');
  });
});
