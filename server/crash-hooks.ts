// Test-only crash points for the crash tests (tests/server/crash-*.test.ts): `CRASH_AT=<step>` makes this
// process SIGKILL itself at that step of creating a payment, exactly like a power cut — no shutdown hooks, no
// flushed writes. Read only when NODE_ENV=test or KIOSK_CRASH_HOOKS=1, so a production process can never be
// told to kill itself by its environment.
//   before_send            the `created` row is committed, nothing sent to the provider yet
//   after_send             the provider call is on the wire (the test holds it at the provider with a fault)
//   after_provider_commit  the provider has committed (the test delays its answer), we have no answer yet
//   before_write           the provider's answer is in hand, our transaction is not committed
// after_send and after_provider_commit are the same point in our code — "the call is out" — and differ in
// what the provider has done by then, which the test arranges; both fire CRASH_DELAY_MS (default 300) after
// the charge call started or, with CRASH_PATH, after the first HTTP request whose URL path ends with CRASH_PATH went
// out (e.g. the second request of a two-step charge) — independent of how long earlier calls took.

export const CRASH_STEPS = ['before_send', 'after_send', 'after_provider_commit', 'before_write'] as const;
export type CrashStep = (typeof CRASH_STEPS)[number];

const enabled = process.env.NODE_ENV === 'test' || process.env.KIOSK_CRASH_HOOKS === '1';
const armed = enabled ? (process.env.CRASH_AT as CrashStep | undefined) : undefined;
const delayMs = Number(process.env.CRASH_DELAY_MS ?? 300);

function die(step: CrashStep): never {
  // stderr is unbuffered: the line is out before the signal lands.
  process.stderr.write(`crash hook: SIGKILL at ${step}\n`);
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; this only satisfies the type checker.
  throw new Error('unreachable');
}

const crashPath = enabled ? process.env.CRASH_PATH : undefined;
if ((armed === 'after_send' || armed === 'after_provider_commit') && crashPath) {
  const step = armed;
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const pending = original(input, init);
    if (new URL(url).pathname.endsWith(crashPath)) setTimeout(() => die(step), delayMs);
    return pending;
  };
}

export function crashPoint(step: CrashStep): void {
  if (armed === step) die(step);
}

/** Around a provider call: kills the process `CRASH_DELAY_MS` after the call started if it is still out.
 *  Returns the disarm function for when the call settles. */
export function crashWhileCalling(): () => void {
  if ((armed !== 'after_send' && armed !== 'after_provider_commit') || crashPath) return () => {};
  const step = armed;
  const t = setTimeout(() => die(step), delayMs);
  return () => clearTimeout(t);
}
