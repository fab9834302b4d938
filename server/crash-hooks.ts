// Test-only crash points for the crash tests (tests/server/crash-*.test.ts): `CRASH_AT=<step>` makes this
// process SIGKILL itself at that step of creating a payment, exactly like a power cut — no shutdown hooks, no
// flushed writes. The entry points (server/main.ts, bench/lib/proxy-child.ts) pass crashHooksFromEnv() to
// buildApp as the payment service's hooks (payments/hooks.ts); it is undefined unless NODE_ENV=test or
// KIOSK_CRASH_HOOKS=1, so a production process can never be told to kill itself by its environment.
//   before_send            the `created` row is committed, nothing sent to the provider yet
//   after_send             the provider call is on the wire (the test holds it at the provider with a fault)
//   after_provider_commit  the provider has committed (the test delays its answer), we have no answer yet
//   before_write           the provider's answer is in hand, our transaction is not committed
// after_send and after_provider_commit are the same point in our code — "the call is out" — and differ in
// what the provider has done by then, which the test arranges; both fire CRASH_DELAY_MS (default 300) after
// the charge call started or, with CRASH_PATH, after the first HTTP request whose URL path ends with CRASH_PATH went
// out (e.g. the second request of a two-step charge) — independent of how long earlier calls took.
import type { PaymentHooks } from './payments/hooks.ts';

export const CRASH_STEPS = ['before_send', 'after_send', 'after_provider_commit', 'before_write'] as const;
export type CrashStep = (typeof CRASH_STEPS)[number];

function die(step: CrashStep): never {
  // stderr is unbuffered: the line is out before the signal lands.
  process.stderr.write(`crash hook: SIGKILL at ${step}\n`);
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; this only satisfies the type checker.
  throw new Error('unreachable');
}

/** The hooks that kill this process at CRASH_AT, or undefined when crash hooks are off or no step is armed.
 *  With CRASH_PATH it wraps globalThis.fetch, so call it once, before anything sends. */
export function crashHooksFromEnv(env: NodeJS.ProcessEnv = process.env): PaymentHooks | undefined {
  if (env.NODE_ENV !== 'test' && env.KIOSK_CRASH_HOOKS !== '1') return undefined;
  const armed = env.CRASH_AT as CrashStep | undefined;
  if (!armed || !CRASH_STEPS.includes(armed)) return undefined;
  const delayMs = Number(env.CRASH_DELAY_MS ?? 300);
  const crashPath = env.CRASH_PATH;
  const callOut = armed === 'after_send' || armed === 'after_provider_commit';
  if (callOut && crashPath) {
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const pending = original(input, init);
      if (new URL(url).pathname.endsWith(crashPath)) setTimeout(() => die(armed), delayMs);
      return pending;
    };
  }
  return {
    beforeSend: () => {
      if (armed === 'before_send') die(armed);
    },
    // Kills the process CRASH_DELAY_MS after the call started if it is still out; disarmed when it settles.
    whileCalling: () => {
      if (!callOut || crashPath) return () => {};
      const t = setTimeout(() => die(armed), delayMs);
      return () => clearTimeout(t);
    },
    beforeWrite: () => {
      if (armed === 'before_write') die(armed);
    },
  };
}
