// Demo mode: what every simulator needs to be mounted on our own port (DESIGN §7) — configured from its
// provider's settings (the credentials it must accept) and SIM_* variables, subscribed to our own webhooks
// so notifications take the production path. Each simulator's own part is sandbox/<name>/demo.ts.
import type { FastifyInstance } from 'fastify';
import type { ProviderName } from '../src/shared/payment.ts';
import type { Env } from '../server/config/env.ts';
import type { Config } from '../server/config.ts';
import type { StoreConfig } from '../server/store/store-config.ts';

export interface SimulatorMountContext<Settings, Sim> {
  /** The provider's settings: the credentials and keys the simulator must accept. */
  settings: Settings;
  sim: Sim;
  /** The store the wallet page names for this provider. */
  storeName: string | undefined;
  /** Origin phones should open merchant-QR links on; undefined = the origin the API was called on. */
  phoneOrigin: string | undefined;
  /** Where the simulator sends notifications: our own webhook for this provider. */
  webhookUrl: () => string;
  publicUrl: () => string;
}

/** One provider's simulator as the sandbox mounts it in demo mode. */
export interface DemoSimulator<Settings, Demo, Sim> {
  name: ProviderName;
  /** What the production provider module uses in demo mode (credentials, keys, where we are mounted). */
  demo: Demo;
  /** SIM_* settings; `settings` is the provider's (null when it is not configured). */
  loadSettings(env: Env, ctx: { demo: boolean; settings: Settings | null }): Sim;
  mount(app: FastifyInstance, ctx: SimulatorMountContext<Settings, Sim>): Promise<void>;
}

/** The name a simulator shows on the wallet page: the default store's if it uses that provider, else the
 *  first store that does. */
function storeNameFor(provider: ProviderName, config: Config, stores: Map<string, StoreConfig>): string | undefined {
  const uses = (s: StoreConfig) => Object.values(s.routing).includes(provider) || s.mpm.some((o) => o.provider === provider);
  const preferred = stores.get(config.storeId);
  if (preferred && uses(preferred)) return preferred.name;
  return [...stores.values()].find(uses)?.name;
}

/** Origin phones should open merchant-QR links on: PUBLIC_URL's (set, or derived from the bind address:
 *  server/config/public-url.ts). With PORT=0 that is not known at mount time: undefined = the origin the
 *  simulator's API was called on. */
function phoneOrigin(config: Config): string | undefined {
  try {
    const u = new URL(config.publicUrl);
    return u.port === '0' ? undefined : u.origin;
  } catch {
    return undefined;
  }
}

/** Mounts one simulator when its provider is configured. */
export async function mountSimulator<Settings, Demo, Sim>(
  app: FastifyInstance,
  simulator: DemoSimulator<Settings, Demo, Sim>,
  settings: Settings | null,
  sim: Sim,
  ctx: { config: Config; stores: Map<string, StoreConfig>; publicUrl: () => string },
): Promise<void> {
  if (!settings) return;
  await simulator.mount(app, {
    settings,
    sim,
    storeName: storeNameFor(simulator.name, ctx.config, ctx.stores),
    phoneOrigin: phoneOrigin(ctx.config),
    // Read at each notification: the port is only known after listen.
    webhookUrl: () => `${ctx.publicUrl()}/webhooks/${simulator.name}`,
    publicUrl: ctx.publicUrl,
  });
}
