// `npm run pair`: prints a fresh one-time pairing link. Works with or without a running server and in or
// out of demo mode: it only needs the database (same DATABASE_URL as the server).
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config.ts';
import { openMigratedStore } from '../store/db.ts';
import { loadStoreConfigs } from '../store/store-config.ts';
import { createPairingCode } from '../store/terminals.ts';

async function main(): Promise<void> {
  // A local .env (see .env.example) fills in what the real environment does not set.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const stores = loadStoreConfigs(config.storesDir);
  if (!stores.has(config.storeId)) throw new ConfigError(`STORE_ID=${config.storeId} has no file in ${config.storesDir}`);
  const store = await openMigratedStore(config.databaseUrl);
  try {
    const { code, expiresAt } = await createPairingCode(store.db, config.storeId, config.pairingTtlMs);
    console.log(`Pairing code for store ${config.storeId}: ${code} (one use, valid until ${new Date(expiresAt).toLocaleTimeString()})`);
    console.log(`Open on the tablet: ${config.publicUrl}/?pair=${code}`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
