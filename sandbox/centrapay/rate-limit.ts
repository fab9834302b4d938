// Centrapay's rate limit (spec §8): N requests per rolling window per account — every kiosk sharing one
// key shares it. Refused requests do not count (they did nothing).
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  take(account: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSec: number } {
    const recent = (this.hits.get(account) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.hits.set(account, recent);
      // Retry-After is whole seconds: until the oldest hit leaves the window, at least 1.
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.hits.set(account, recent);
    return { ok: true };
  }
}
