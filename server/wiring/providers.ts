// Every configured provider, wired by iterating the registry: one context per provider (its keys and
// caches), its adapter built on first use — in demo mode they point at the sandbox's simulators on whatever
// port the server ended up listening on — and its webhook intake. Notify URLs are PUBLIC_URL + /webhooks/<name>.
import type { FastifyInstance } from 'fastify';
import type { ProviderName } from '../../src/shared/payment.ts';
import type { Config } from '../config.ts';
import { lazyRegistry, type AdapterRegistry } from '../payments/adapters.ts';
import { providerModules, type AnyProviderModule } from '../providers/registry.ts';
import type { HttpObserver } from '../providers/http.ts';
import type { PaymentAdapter } from '../providers/types.ts';
import type { Sandbox } from './sandbox.ts';
import { publicUrlOf, selfOrigin } from './self-url.ts';

/** One configured provider: its module and the context only that module understands. */
export interface ActiveProvider {
  module: AnyProviderModule;
  context: unknown;
}

export interface Providers {
  adapters: AdapterRegistry;
  /** The configured provider of that name, or undefined. */
  active(name: string): ActiveProvider | undefined;
}

export function wireProviders(
  app: FastifyInstance,
  config: Config,
  sandbox: Sandbox<unknown> | undefined,
  httpObserver?: HttpObserver,
): Providers {
  const active = new Map<string, ActiveProvider>();
  const factories: Partial<Record<ProviderName, () => PaymentAdapter | undefined>> = {};
  for (const m of providerModules) {
    const settings = config.providers[m.name];
    if (!settings) continue;
    const context = m.createContext(settings, {
      publicUrl: () => publicUrlOf(app, config),
      notifyUrl: () => `${publicUrlOf(app, config)}/webhooks/${m.name}`,
      selfUrl: (path) => {
        const origin = selfOrigin(app, config.host, config.tls !== null);
        return origin ? `${origin}${path}` : null;
      },
      sandbox: config.demo ? sandbox?.demo[m.name] : undefined,
      httpObserver,
    });
    active.set(m.name, { module: m, context });
    factories[m.name] = () => m.createAdapter(context);
  }
  return { adapters: lazyRegistry(factories), active: (name) => active.get(name) };
}
