// Identifiers derived from the kiosk's idempotency key (DESIGN §6 "never a second charge").
import { createHash } from 'node:crypto';

/** The provider-side reference: deterministic in (terminal, key), so every retry of one attempt — even after
 *  a crash between our insert and the provider call — names the same transaction at the provider.
 *  32 chars of [a-z0-9-], within every provider's reference limits. */
export function providerReference(terminalId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${terminalId}\n${idempotencyKey}`, 'utf8').digest('hex');
  return `kq-${digest.slice(0, 29)}`;
}

/** Validated request bodies are a few levels deep (the route schemas allow no more); anything deeper is a
 *  caller's mistake, refused here rather than recursed into. */
const MAX_HASH_DEPTH = 8;

function canonical(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_HASH_DEPTH) throw new Error(`request body deeper than ${MAX_HASH_DEPTH} levels: validate it before hashing`);
  if (Array.isArray(value)) return value.map((v) => canonical(v, depth + 1));
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k], depth + 1)]),
  );
}

/** Hash of a validated request body with keys sorted, so the same request in another key order is the same
 *  request. Unchanged from before the schemas: rows stored earlier keep matching their replays. */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(body ?? null, 0)), 'utf8')
    .digest('hex');
}

/** Wallet codes are one-time bearer tokens: keep only enough to recognise one on a receipt or in a log. */
export function maskCode(code: string): string {
  if (code.length <= 8) return '*'.repeat(code.length);
  return `${code.slice(0, 4)}${'*'.repeat(code.length - 8)}${code.slice(-4)}`;
}
