// Cost of one take from a provider account's request budget: `npm run bench:take-cost [-- --takes 5000]`.
// The bucket kept in the database (store/provider-budgets.ts: one transaction, the row locked on Postgres)
// against the baseline of the same arithmetic in process memory, measured in the same run: wall time per
// take, one at a time, and this process's CPU per take. SQLite in a temp file; Postgres when
// TEST_DATABASE_URL names a server (a fresh database is created and dropped).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres } from '../../tests/server/helpers/app.ts';
import { openMigratedStore } from '../../server/store/db.ts';
import { DatabaseBucket } from '../../server/store/provider-budgets.ts';
import { MemoryBucket, type Bucket } from '../../server/payments/token-bucket.ts';

const args = process.argv.slice(2);
const i = args.indexOf('--takes');
const TAKES = i >= 0 ? Number(args[i + 1]) : 5000;
// A rate no take ever waits for: every take is granted, so this measures the take itself.
const SHAPE = { perMinute: 1e9, burst: 1e6 };

async function measure(name: string, bucket: Bucket): Promise<void> {
  for (let n = 0; n < 100; n++) await bucket.take(1, 0, 'urgent');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let granted = 0;
  for (let n = 0; n < TAKES; n++) granted += (await bucket.take(1, 0, 'urgent')).granted;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / TAKES;
  console.log(`| ${name} | ${TAKES} | ${granted} | ${((ms * 1000) / TAKES).toFixed(1)} | ${cpuUs.toFixed(1)} |`);
}

console.log('| bucket | takes | granted | µs per take (wall) | µs CPU per take (this process) |');
console.log('| --- | --- | --- | --- | --- |');
await measure('memory (baseline)', new MemoryBucket(SHAPE));
const dir = mkdtempSync(join(tmpdir(), 'bench-take-cost-'));
try {
  const sqlite = await openMigratedStore(`sqlite:${join(dir, 'take.db')}`);
  await measure(
    'SQLite row',
    new DatabaseBucket({ db: sqlite.db, dialect: sqlite.dialect, account: 'pockyt', shape: SHAPE, taker: 'bench' }),
  );
  await sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (process.env.TEST_DATABASE_URL) {
  const fresh = await freshPostgres(process.env.TEST_DATABASE_URL);
  try {
    const pg = await openMigratedStore(fresh.url);
    await measure('Postgres row', new DatabaseBucket({ db: pg.db, dialect: pg.dialect, account: 'pockyt', shape: SHAPE, taker: 'bench' }));
    await pg.close();
  } finally {
    await fresh.drop();
  }
}
