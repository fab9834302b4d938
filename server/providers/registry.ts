// THE list of payment providers the server can use. Everything provider-specific lives in its folder and is
// reached through its module object; the server wires settings, adapters and webhooks by iterating this list.
// Adding a provider: one folder under server/providers/ and one line here (and its name in
// src/shared/providers.ts, which both sides share).
import { centrapay } from './centrapay/index.ts';
import { payby } from './payby/index.ts';
import { pockyt } from './pockyt/index.ts';
import type { ProviderModule } from './types.ts';

export const PROVIDER_MODULES = [pockyt, centrapay, payby] as const;

type Modules = (typeof PROVIDER_MODULES)[number];
type SettingsOf<M extends Modules> = NonNullable<ReturnType<M['loadSettings']>>;
type DemoOf<M extends Modules> = Extract<Parameters<M['loadSettings']>[1], { demo: true }>['sandbox'];

/** Each provider's settings by name; null when it is not configured. */
export type ProviderSettingsMap = { [M in Modules as M['name']]: SettingsOf<M> | null };

/** What the sandbox supplies for each provider it simulates (demo mode). */
export type ProviderDemoValues = { readonly [M in Modules as M['name']]?: DemoOf<M> };

/** A module seen from generic code, which only passes each module's own values back to it. */
export type AnyProviderModule = ProviderModule<unknown, unknown, unknown>;

export const providerModules: readonly AnyProviderModule[] = PROVIDER_MODULES;

export function providerModule(name: string): AnyProviderModule | undefined {
  return providerModules.find((m) => m.name === name);
}

/** Every key any provider declares as carrying a payment code (for logs, which mix providers). */
export const ALL_PAYMENT_CODE_FIELDS: readonly string[] = [...new Set(providerModules.flatMap((m) => m.paymentCodeFields))];

/** The keys that carry a payment code in `provider`'s payloads; for a name no module has, every provider's. */
export function paymentCodeFields(provider: string): readonly string[] {
  return providerModule(provider)?.paymentCodeFields ?? ALL_PAYMENT_CODE_FIELDS;
}
