// The grant one kiosk screen holds (server/staff/grants.ts): the History screen's store view, the Day close
// screen's day close. A supervisor's PIN is exchanged for it once — `buy` sends the PIN in that one request
// and keeps nothing of it — and the screen's reads (and, for the day close, the Z) then send the grant in
// X-Staff-Grant. The grant lives in memory only: forgotten when the screen forgets it (on leaving), shortly
// before the proxy's expiry, or when the proxy says it has ended; `onEnded` then lets the screen ask again.
import type { GrantScope } from '../../shared/staff-api';
import type { StaffSay } from '../api/client';
import { ApiError } from '../api/errors';
import { staffApi } from './api';

// The grant's life as the proxy gave it, less a margin for clocks and requests in flight.
const MARGIN_MS = 5_000;

/** The proxy's answers that mean "this grant no longer opens this": buy another with the PIN. */
const ENDED_CODES = new Set(['grant_expired', 'grant_scope']);

export class ScreenGrant {
  #token = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #scope: GrantScope;
  readonly #onEnded: () => void;

  constructor(scope: GrantScope, onEnded: () => void) {
    this.#scope = scope;
    this.#onEnded = onEnded;
  }

  get held(): boolean {
    return this.#token !== null;
  }

  /** Exchanges the PIN for a grant; throws what the proxy refused with (wrong PIN, locked out…). */
  async buy(pin: string): Promise<void> {
    const g = await staffApi.grant(pin, this.#scope);
    this.forget();
    this.#token = g.grant;
    // Timed by the time left, not by expiresAt against this tablet's clock, which may be minutes off.
    this.#timer = setTimeout(() => this.#end(), Math.max(0, g.expiresInMs - MARGIN_MS));
  }

  /** What a read sends: the grant, or nothing (the signed-in staff member's session stands in). */
  say(): StaffSay | undefined {
    return this.#token !== null ? { grant: this.#token } : undefined;
  }

  forget(): void {
    this.#token = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** True (the grant forgotten, `onEnded` told) when `err` is the proxy saying the held grant has ended. */
  endedBy(err: unknown): boolean {
    if (!(err instanceof ApiError && ENDED_CODES.has(err.code) && this.#token !== null)) return false;
    this.#end();
    return true;
  }

  #end(): void {
    this.forget();
    this.#onEnded();
  }
}
