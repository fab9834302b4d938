// Which stores this server can actually serve. The default store (new pairings) must be fully served; other
// store files may name providers this server has no configuration for — their wallets are just not offered.
import type { ProviderName } from '../../src/shared/payment.ts';
import { ConfigError, type Config } from '../config.ts';
import { providerModule } from '../providers/registry.ts';
import type { StoreConfig } from '../store/store-config.ts';

/** "A, B, C and D" */
function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Providers a store uses (routing and merchant-QR options) that this server has no configuration for. */
export function missingProviders(config: Config, store: StoreConfig): ProviderName[] {
  const needed = new Set<ProviderName>([...Object.values(store.routing), ...store.mpm.map((o) => o.provider)]);
  return [...needed].filter((p) => !config.providers[p]);
}

/** The store of that id, or a ConfigError naming where store files are looked for. */
export function findStore(config: Config, stores: Map<string, StoreConfig>, storeId: string, what = 'STORE_ID'): StoreConfig {
  const store = stores.get(storeId);
  if (!store) {
    throw new ConfigError(`${what}=${storeId} has no file in ${config.storesDir} (found: ${[...stores.keys()].join(', ') || 'none'})`);
  }
  return store;
}

export function checkStore(config: Config, stores: Map<string, StoreConfig>, storeId: string, what = 'STORE_ID'): StoreConfig {
  const store = findStore(config, stores, storeId, what);
  const missing = missingProviders(config, store);
  if (missing.length) {
    const p = missing[0];
    throw new ConfigError(
      `Store ${store.id} uses ${p}, but ${p} is not configured: set ${listed(providerModule(p)?.variables ?? [])}, or DEMO=1`,
    );
  }
  return store;
}
