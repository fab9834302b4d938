// Centrapay's webhook signing keys (spec §10): fetched from CENTRAPAY_JWKS_URL, cached per the answer's
// Cache-Control max-age, refetched early when a token names a `kid` we do not have (keys rotate without
// notice) — but at most once per `minRefreshMs`, because anyone can send a token with a made-up kid and
// must not be able to make us hammer Centrapay's auth server.
import type { EcJwk, Jwks } from './jwt.ts';

export class JwksUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JwksUnavailableError';
  }
}

export interface JwksCacheOptions {
  /** Resolved at each fetch: in demo mode the URL is only known after listen. */
  url: () => string | null;
  minRefreshMs: number;
  timeoutMs?: number;
  /** Cache lifetime when the answer says none. Default 300 s (what Centrapay's JWKS answers). */
  defaultMaxAgeMs?: number;
}

const MAX_AGE_CAP_MS = 24 * 3_600_000;

function maxAgeMs(cacheControl: string | null, fallback: number): number {
  const m = cacheControl ? /(?:^|,)\s*max-age=(\d{1,9})\s*(?:,|$)/i.exec(cacheControl) : null;
  if (cacheControl && /no-store|no-cache/i.test(cacheControl)) return 0;
  return m ? Math.min(Number(m[1]) * 1000, MAX_AGE_CAP_MS) : fallback;
}

/** Only P-256 signing keys with a kid are of any use; anything else in the set is skipped, not fatal. */
function readJwks(json: unknown): Jwks {
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('JWKS has no "keys" array');
  const usable = keys.filter((k): k is EcJwk => {
    const o = k as Record<string, unknown> | null;
    return !!o && o.kty === 'EC' && o.crv === 'P-256' && typeof o.x === 'string' && typeof o.y === 'string' && typeof o.kid === 'string'
      && (o.use === undefined || o.use === 'sig');
  });
  return { keys: usable };
}

export class JwksCache {
  private jwks: Jwks | null = null;
  private fetchedAt = 0;
  private freshUntil = 0;
  private inflight: Promise<Jwks> | null = null;
  /** Downloads so far (for logs and tests). */
  fetches = 0;

  constructor(private readonly opts: JwksCacheOptions) {}

  /** Keys to verify with: the cached set while fresh, else a new download. When the download fails but an
   *  older set exists, the older set is used (a brief auth-server outage should not refuse genuine keys). */
  async keys(): Promise<Jwks> {
    if (this.jwks && Date.now() < this.freshUntil) return this.jwks;
    try {
      return await this.download();
    } catch (err) {
      if (this.jwks) return this.jwks;
      throw err;
    }
  }

  /** A token named a kid we do not know: download again unless we did so within minRefreshMs. Returns the
   *  new set, or null when the refresh was skipped (rate limit) or failed. */
  async refreshForUnknownKid(): Promise<Jwks | null> {
    if (this.inflight) return this.inflight.catch(() => null);
    if (this.fetchedAt !== 0 && Date.now() - this.fetchedAt < this.opts.minRefreshMs) return null;
    return this.download().catch(() => null);
  }

  private download(): Promise<Jwks> {
    this.inflight ??= this.fetchOnce().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchOnce(): Promise<Jwks> {
    const url = this.opts.url();
    if (!url) throw new JwksUnavailableError('Centrapay JWKS URL is not known yet');
    this.fetches++;
    this.fetchedAt = Date.now();
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5_000) });
    } catch (err) {
      throw new JwksUnavailableError(`could not fetch the Centrapay JWKS: ${(err as Error).message}`, { cause: err });
    }
    if (!res.ok) throw new JwksUnavailableError(`the Centrapay JWKS answered HTTP ${res.status}`);
    let jwks: Jwks;
    try {
      jwks = readJwks(await res.json());
    } catch (err) {
      throw new JwksUnavailableError(`the Centrapay JWKS is unreadable: ${(err as Error).message}`, { cause: err });
    }
    this.jwks = jwks;
    this.freshUntil = Date.now() + maxAgeMs(res.headers.get('cache-control'), this.opts.defaultMaxAgeMs ?? 300_000);
    return jwks;
  }
}
