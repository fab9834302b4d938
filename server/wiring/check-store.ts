// Which stores this server can actually serve. The default store (new pairings) must be fully served; other
// store files may name providers this server has no configuration for — their wallets are just not offered.
import type { ProviderName } from '../../src/shared/payment.ts';
import { ConfigError, type Config } from '../config.ts';
import type { StoreConfig } from '../store/store-config.ts';

const PROVIDER_VARS: Record<ProviderName, string> = {
  pockyt: 'POCKYT_BASE_URL, POCKYT_MERCHANT_NO, POCKYT_STORE_NO and POCKYT_TOKEN',
  centrapay: 'CENTRAPAY_BASE_URL, CENTRAPAY_API_KEY, CENTRAPAY_CONFIG_ID and CENTRAPAY_JWKS_URL',
  payby: 'PAYBY_BASE_URL, PAYBY_PARTNER_ID, PAYBY_PRIVATE_KEY_FILE and PAYBY_PUBLIC_KEY_FILE',
};

/** Providers a store uses (routing and merchant-QR options) that this server has no configuration for. */
export function missingProviders(config: Config, store: StoreConfig): ProviderName[] {
  const needed = new Set<ProviderName>([...Object.values(store.routing), ...store.mpm.map((o) => o.provider)]);
  return [...needed].filter((p) => !config[p]);
}

export function checkStore(config: Config, stores: Map<string, StoreConfig>, storeId: string, what = 'STORE_ID'): StoreConfig {
  const store = stores.get(storeId);
  if (!store) {
    throw new ConfigError(`${what}=${storeId} has no file in ${config.storesDir} (found: ${[...stores.keys()].join(', ') || 'none'})`);
  }
  const missing = missingProviders(config, store);
  if (missing.length) {
    const p = missing[0]!;
    throw new ConfigError(`Store ${store.id} uses ${p}, but ${p} is not configured: set ${PROVIDER_VARS[p]}, or DEMO=1`);
  }
  return store;
}
