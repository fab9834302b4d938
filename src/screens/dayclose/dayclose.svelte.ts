// The Day close screen's state: who may see it, the X or Z report shown, and the Z close.
// A supervisor or manager signed in at the tablet needs nothing more: the proxy reads the session. Anyone else
// types a supervisor's PIN once; it is exchanged for a day-close grant (lib/staff/screen-grant, the same
// exchange as the History screen's) and the PIN is not kept: the X refresh, the scope and day, the CSV and the
// Z close send the grant. When the grant (or the session) ends mid-screen, the next of those asks for the PIN
// again and then carries on with what was asked for, rather than failing.
import type { DayCloseResponse, DayReport, DayReportQuery } from '../../shared/api';
import { api } from '../../lib/api/client';
import { ApiError, describeError } from '../../lib/api/errors';
import { ScreenGrant } from '../../lib/staff/screen-grant.svelte';
import { staffSession } from '../../lib/staff/session.svelte';

export type Scope = 'terminal' | 'store';

export class DayCloseState {
  scope = $state<Scope>('terminal');
  /** Empty: today in the store's zone (the proxy decides). */
  date = $state('');
  report = $state<DayReport | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** The PIN dialog is up: nobody signed in may see this, and no grant is held (or it has just ended). */
  askingPin = $state(false);
  /** The access this screen had ended (grant expired, supervisor signed out): the dialog says why it asks. */
  accessEnded = $state(false);
  unlocking = $state(false);
  /** Why the last PIN was refused (wrong, a cashier's, locked out…). */
  pinError = $state<string | null>(null);
  /** The Z close's confirm dialog is up. */
  confirming = $state(false);
  closing = $state(false);
  closeError = $state<string | null>(null);
  closed = $state<DayCloseResponse | null>(null);
  downloading = $state(false);

  #grant = new ScreenGrant('day_close', () => (this.accessEnded = true));
  /** The report on screen was read on the signed-in supervisor's session, not a grant. */
  #shownBySession = false;
  /** What was asked for when the PIN dialog came up: done once the PIN bought a grant. */
  #resume: (() => Promise<void>) | null = null;

  get query(): DayReportQuery {
    return { scope: this.scope, ...(this.date ? { date: this.date } : {}) };
  }

  /** A supervisor or manager is signed in here: no PIN at all. */
  get bySession(): boolean {
    return staffSession.isAtLeast('supervisor');
  }

  get unlocked(): boolean {
    return this.bySession || this.#grant.held;
  }

  /** Opening the screen: the report at once for a signed-in supervisor, else the PIN first. */
  open(): Promise<void> {
    this.forget();
    return this.load();
  }

  /** Whoever is signed in changed: a report shown on a session that no longer allows it (the supervisor
   *  signed out, or was signed out when idle) leaves the screen, and the PIN is asked for to see it again.
   *  (A grant that runs out leaves the report up until the next action asks: it was bought for this screen.) */
  staffChanged(): void {
    // The reactive reads come first: the $effect calling this re-runs on what it read.
    if (this.report === null || this.bySession || this.askingPin || !this.#shownBySession) return;
    this.report = null;
    this.closed = null;
    this.confirming = false;
    this.accessEnded = true;
    this.askingPin = true;
    this.#resume = () => this.load();
  }

  /** Exchanges the typed PIN for a grant (the one request that carries it), then does what was waiting. */
  async unlock(pin: string): Promise<void> {
    this.unlocking = true;
    this.pinError = null;
    try {
      await this.#grant.buy(pin);
    } catch (err) {
      this.pinError = describeError(err);
      return;
    } finally {
      this.unlocking = false;
    }
    this.askingPin = false;
    this.accessEnded = false;
    const next = this.#resume ?? (() => this.load());
    this.#resume = null;
    await next();
  }

  /** The PIN dialog's Back. Resolves whether anything is left to show (else the screen is left). */
  cancelPin(): boolean {
    this.askingPin = false;
    this.pinError = null;
    this.#resume = null;
    this.confirming = false;
    return this.report !== null;
  }

  forget(): void {
    this.#grant.forget();
    this.#resume = null;
    this.report = null;
    this.closed = null;
    this.error = null;
    this.pinError = null;
    this.askingPin = false;
    this.accessEnded = false;
    this.confirming = false;
  }

  async setScope(scope: Scope): Promise<void> {
    this.scope = scope;
    this.closed = null;
    await this.load();
  }

  async setDate(date: string): Promise<void> {
    this.date = date;
    this.closed = null;
    await this.load();
  }

  async load(): Promise<void> {
    await this.#withAccess(
      () => this.load(),
      async () => {
        this.loading = true;
        try {
          const say = this.#grant.say();
          this.report = await api.dayReport(this.query, say);
          this.#shownBySession = say === undefined;
          this.error = null;
        } finally {
          this.loading = false;
        }
      },
      (err) => (this.error = describeError(err)),
    );
  }

  /** Z: closes the day for the current scope (after the confirm dialog). */
  async close(): Promise<void> {
    this.closeError = null;
    await this.#withAccess(
      () => this.close(),
      async () => {
        this.closing = true;
        try {
          const say = this.#grant.say();
          const r = await api.closeDay(this.query, say);
          this.closed = r;
          this.report = r.report;
          this.#shownBySession = say === undefined;
          this.error = null;
          this.confirming = false;
        } finally {
          this.closing = false;
        }
      },
      (err) => (this.closeError = describeError(err)),
    );
  }

  /** The same report as CSV, saved by the browser under the proxy's file name. */
  async downloadCsv(save: (csv: string, filename: string) => void): Promise<void> {
    await this.#withAccess(
      () => this.downloadCsv(save),
      async () => {
        this.downloading = true;
        try {
          const csv = await api.dayReportCsv(this.query, this.#grant.say());
          const r = this.report;
          save(csv, `day-${r?.storeId ?? 'store'}-${r?.date ?? 'today'}-${this.scope}${r?.closed ? `-z${r.closed.number}` : ''}.csv`);
        } finally {
          this.downloading = false;
        }
      },
      (err) => (this.error = describeError(err)),
    );
  }

  /** Runs `action` with the session or the grant; without either, or when the proxy says it ended, asks for
   *  the PIN and runs `again` once a new grant is bought. Any other failure goes to `failed`. */
  async #withAccess(again: () => Promise<void>, action: () => Promise<void>, failed: (err: unknown) => void): Promise<void> {
    if (!this.unlocked) return this.#askPin(again);
    try {
      await action();
    } catch (err) {
      if (this.#grant.endedBy(err) || this.#sessionEnded(err)) return this.#askPin(again);
      failed(err);
    }
  }

  /** Relying on the signed-in supervisor, and the proxy no longer sees one (idle sign-out elsewhere). */
  #sessionEnded(err: unknown): boolean {
    if (!(err instanceof ApiError && err.code === 'pin_required' && !this.#grant.held)) return false;
    this.accessEnded = this.report !== null;
    void staffSession.refresh();
    return true;
  }

  #askPin(again: () => Promise<void>): void {
    this.#resume = again;
    this.pinError = null;
    this.askingPin = true;
  }
}
