// THE seam between production and the sandbox (DESIGN §3, §7). Production code never imports sandbox/:
// the composition root (server/main.ts, and the test/bench helpers that play its part) imports the sandbox
// and hands it to loadConfig(env, sandbox) and buildApp(config, {sandbox}), which only know this interface.
// Without a sandbox there are no simulators: demo mode then has no provider to offer.
import type { FastifyInstance } from 'fastify';
import type { Env } from '../config/env.ts';
import type { Config } from '../config.ts';
import type { ProviderDemoValues, ProviderSettingsMap } from '../providers/registry.ts';
import type { StoreConfig } from '../store/store-config.ts';

export interface SandboxMountContext<Sim> {
  config: Config<Sim>;
  stores: Map<string, StoreConfig>;
  /** PUBLIC_URL as our webhooks are reached (with PORT=0, known only after listen). */
  publicUrl: () => string;
}

export interface Sandbox<Sim> {
  /** Per provider it simulates: the values its simulator accepts and where it is mounted, used in demo
   *  mode wherever the provider's own variables are unset. */
  readonly demo: ProviderDemoValues;
  /** The simulators' own settings (SIM_* variables), validated at boot like the rest (→ config.sim). */
  loadSettings(env: Env, ctx: { demo: boolean; providers: ProviderSettingsMap }): Sim;
  /** Mounts the simulators on our own port (demo mode), subscribed to our own webhooks. */
  mount(app: FastifyInstance, ctx: SandboxMountContext<Sim>): Promise<void>;
}
