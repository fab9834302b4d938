// `npm run pair [-- --store <id>]`: prints a fresh one-time pairing link for a store (default STORE_ID).
// Works with or without a running server and in or out of demo mode: it only needs the database (same
// DATABASE_URL as the server).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { openMigratedStore } from '../store/db.ts';
import { loadStoreConfigs } from '../store/store-config.ts';
import { createPairingCode } from '../store/terminals.ts';
import { checkStore, findStore } from '../wiring/check-store.ts';

function storeArg(): string | undefined {
  try {
    return parseArgs({ options: { store: { type: 'string', short: 's' } }, allowPositionals: false }).values.store;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Usage: npm run pair -- [--store <store id>]`);
  }
}

async function main(): Promise<void> {
  // A local .env (see .env.example) fills in what the real environment does not set.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const storeId = storeArg() ?? config.storeId;
  const stores = loadStoreConfigs(config.storesDir);
  const what = storeId === config.storeId ? 'STORE_ID' : '--store';
  // Demo mode: the server's sandbox simulates every provider, and this tool (which never loads the
  // sandbox) cannot see it — so only the store itself is checked here.
  const store = config.demo ? findStore(config, stores, storeId, what) : checkStore(config, stores, storeId, what);
  const db = await openMigratedStore(config.databaseUrl);
  try {
    const { code, expiresAt } = await createPairingCode(db.db, store.id, config.pairingTtlMs);
    console.log(
      `Pairing code for ${store.name} (${store.id}, ${store.currency}): ${code} (one use, valid until ${new Date(expiresAt).toLocaleTimeString()})`,
    );
    console.log(`Open on the tablet: ${config.publicUrl}/?pair=${code}`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
