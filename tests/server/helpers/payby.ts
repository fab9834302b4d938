// Shared by the PayBy adapter suites: an adapter config pointed at a running simulator, the simulator's
// control routes, and a way to assert that a call failed with a ProviderError (no verdict).
import { expect } from 'vitest';
import type { PayByConfig } from '../../../server/providers/payby/adapter.ts';
import type { RunningPayBySimulator } from '../../../sandbox/payby/standalone.ts';
import { ProviderError } from '../../../server/providers/types.ts';

export const aed = (value: number) => ({ value, currency: 'AED' });

export function paybyConfig(s: RunningPayBySimulator, extra: Partial<PayByConfig> = {}): PayByConfig {
  return {
    baseUrl: s.baseUrl,
    partnerId: s.partnerId,
    privateKeyPem: s.merchantPrivateKeyPem,
    platformPublicKeyPem: s.platformPublicKeyPem,
    timeoutMs: 1500,
    // Short enough that a SLOW… code (the simulators here answer it after 4 s) times out, long enough that RSA
    // signing both ways on a loaded 2-core machine does not (at 400 ms ordinary charges timed out under load).
    placeOrderTimeoutMs: 1500,
    ...extra,
  };
}

export async function simControl(s: RunningPayBySimulator, path: string, method = 'GET', body?: unknown) {
  const res = await fetch(`${s.simUrl}/control${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

export async function caughtProviderError(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}
