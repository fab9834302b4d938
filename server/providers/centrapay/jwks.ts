// Centrapay's webhook signing keys (spec §10), fetched from CENTRAPAY_JWKS_URL by jose's remote key set:
// cached for what Centrapay's JWKS answers (max-age 300 s), refetched early when a token names a `kid` we do
// not have (keys rotate without notice) — but at most once per `minRefreshMs`, because anyone can send a
// token with a made-up kid and must not be able to make us hammer Centrapay's auth server.
import { createLocalJWKSet, createRemoteJWKSet, errors, type RemoteJWKSet } from 'jose';
import type { KeyResolver } from './token.ts';

/** The keys could not be had (network, HTTP error, unreadable set): "cannot verify now", not "forged". */
export class JwksUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JwksUnavailableError';
  }
}

export interface JwksOptions {
  /** Resolved at first use: in demo mode the URL is only known after listen. */
  url: () => string | null;
  minRefreshMs: number;
  timeoutMs?: number;
  /** Cache lifetime. Default 300 s (what Centrapay's JWKS answers). */
  maxAgeMs?: number;
}

/** Errors that are about the token's key, not about getting the key set. */
const isKeyMismatch = (err: unknown) =>
  err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys || err instanceof errors.JOSENotSupported;

export function centrapayKeys(opts: JwksOptions): KeyResolver {
  let remote: RemoteJWKSet | undefined;
  return async (header, token) => {
    if (!remote) {
      const url = opts.url();
      if (!url) throw new JwksUnavailableError('Centrapay JWKS URL is not known yet');
      remote = createRemoteJWKSet(new URL(url), {
        cooldownDuration: opts.minRefreshMs,
        cacheMaxAge: opts.maxAgeMs ?? 300_000,
        timeoutDuration: opts.timeoutMs ?? 5_000,
      });
    }
    try {
      return await remote(header, token);
    } catch (err) {
      if (isKeyMismatch(err)) throw err;
      // The download failed. The set we had still holds Centrapay's keys: a brief auth-server outage should
      // not refuse genuine notifications.
      const last = remote.jwks();
      if (last) return createLocalJWKSet(last)(header, token);
      throw new JwksUnavailableError(`could not fetch the Centrapay JWKS: ${(err as Error).message}`, { cause: err });
    }
  };
}
