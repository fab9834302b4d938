// Which adapter serves which provider. Adapters are built on first use so that, in demo mode, an adapter
// can point at the sandbox's simulator on whatever port the server ended up listening on (tests use port 0).
import type { ProviderName } from '../../src/shared/payment.ts';
import type { PaymentAdapter } from '../providers/types.ts';

export interface AdapterRegistry {
  /** undefined when the provider is not configured (or, in demo mode, before the server listens). */
  get(provider: ProviderName): PaymentAdapter | undefined;
  configured(provider: ProviderName): boolean;
}

export function lazyRegistry(factories: Partial<Record<ProviderName, () => PaymentAdapter | undefined>>): AdapterRegistry {
  const built = new Map<ProviderName, PaymentAdapter>();
  return {
    get(provider) {
      const existing = built.get(provider);
      if (existing) return existing;
      const adapter = factories[provider]?.();
      if (adapter) built.set(provider, adapter);
      return adapter;
    },
    configured: (provider) => factories[provider] !== undefined,
  };
}
