// `npm run totals -- check`: recounts the day report's running totals (migration 0021) from the payment and
// refund rows and lists any difference (exit 1 when there is one). `npm run totals -- rebuild`: recomputes
// them from the rows. Run check after a restore (README "Backup and restore"); the proxy may keep running.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config.ts';
import { openMigratedStore } from '../store/db.ts';
import { rebuildTotals, totalsDrift } from '../store/totals-check.ts';

const USAGE = 'Usage: npm run totals -- check | rebuild';

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const command = process.argv[2];
  if (command !== 'check' && command !== 'rebuild') throw new ConfigError(USAGE);
  const config = loadConfig(process.env);
  const store = await openMigratedStore(config.databaseUrl);
  try {
    if (command === 'rebuild') {
      await rebuildTotals(store.db, store.dialect);
      console.log('Running totals recomputed from the payment and refund rows.');
    }
    const drift = await totalsDrift(store.db);
    for (const d of drift)
      console.log(`${d.table} ${JSON.stringify(d.key)}: rows say ${JSON.stringify(d.fromRows)}, totals hold ${JSON.stringify(d.inTotals)}`);
    console.log(
      drift.length === 0 ? 'Running totals agree with the rows.' : `${drift.length} total(s) differ: run "npm run totals -- rebuild".`,
    );
    return drift.length === 0 ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? `Error: ${err.message}` : err);
    process.exit(err instanceof ConfigError ? 78 : 1);
  },
);
