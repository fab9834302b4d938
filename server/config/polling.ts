// The reconciler's polling settings (POLL_*): its cadences and each provider account's request budget.
// Validated once at boot like the rest of the configuration.
import type { ProviderName } from '../../src/shared/providers.ts';
import { providerModules } from '../providers/registry.ts';
import { ConfigError, int, type Env } from './env.ts';

export interface ProviderPolling {
  /** Queries and cancels the reconciler may send to this provider's account per minute (token bucket). */
  ratePerMinute: number;
  /** The provider's recommended query interval while a customer confirms; the slow cadence starts here. */
  pendingQueryMs: number;
}

export interface PollSettings {
  /** Fast cadence, for a payment a kiosk is watching: first check, growing ×1.5 up to maxMs. */
  initialMs: number;
  maxMs: number;
  /** Slow cadence ceiling, for a payment nobody watches or one open longer than fastForMs. Never below maxMs. */
  idleMs: number;
  /** How long after creation a watched payment keeps the fast cadence. */
  fastForMs: number;
  providers: Record<ProviderName, ProviderPolling>;
}

export function pollSettings(env: Env): PollSettings {
  const initialMs = int(env, 'POLL_INITIAL_MS', 1_000, 10, 600_000);
  // A watched payment at a till should be confirmed within about a second even when no notification comes.
  const maxMs = int(env, 'POLL_MAX_MS', 1_000, 10, 3_600_000);
  if (maxMs < initialMs) throw new ConfigError(`POLL_MAX_MS (${maxMs}) must not be below POLL_INITIAL_MS (${initialMs})`);
  // Raised to POLL_MAX_MS rather than refused: setups that slow the whole poller down (tests, quiet
  // servers) need not also name this one.
  const idleMs = Math.max(maxMs, int(env, 'POLL_IDLE_MS', 30_000, 10, 3_600_000));
  const fastForMs = int(env, 'POLL_FAST_FOR_MS', 180_000, 0, 24 * 3_600_000);
  const providers = {} as Record<ProviderName, ProviderPolling>;
  for (const { name, polling: g } of providerModules) {
    // Above a documented limit is allowed (an account can have a raised one); the provider's 429 still rules.
    const ratePerMinute = int(env, `POLL_RATE_${name.toUpperCase()}`, g.defaultBudgetPerMinute, 1, 1_000_000);
    providers[name] = { ratePerMinute, pendingQueryMs: g.pendingQueryMs };
  }
  return { initialMs, maxMs, idleMs, fastForMs, providers };
}
