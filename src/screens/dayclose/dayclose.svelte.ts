// The Day close screen's state: the supervisor PIN (held in memory only while the screen is open, so the scope
// toggle, refresh and CSV need not ask again; forgotten on leaving), the X or Z report shown, and the Z close.
import type { DayCloseResponse, DayReport, DayReportQuery } from '../../shared/api';
import { api } from '../../lib/api/client';
import { ApiError, describeError } from '../../lib/api/errors';

export type Scope = 'terminal' | 'store';

const PIN_ERRORS = new Set(['pin_required', 'invalid_pin', 'supervisor_required', 'manager_required', 'pin_locked']);

export class DayCloseState {
  pin = $state<string | null>(null);
  scope = $state<Scope>('terminal');
  /** Empty: today in the store's zone (the proxy decides). */
  date = $state('');
  report = $state<DayReport | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Set when the last error was about the PIN: the screen asks for it again. */
  pinError = $state<string | null>(null);
  closing = $state(false);
  closed = $state<DayCloseResponse | null>(null);
  downloading = $state(false);

  get query(): DayReportQuery {
    return { scope: this.scope, ...(this.date ? { date: this.date } : {}) };
  }

  async unlock(pin: string): Promise<void> {
    this.pin = pin;
    await this.load();
  }

  forget(): void {
    this.pin = null;
    this.report = null;
    this.closed = null;
    this.error = null;
    this.pinError = null;
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
    if (!this.pin) return;
    this.loading = true;
    try {
      this.report = await api.dayReport(this.query, this.pin);
      this.error = null;
    } catch (err) {
      this.#fail(err);
    } finally {
      this.loading = false;
    }
  }

  /** Z: closes the day for the current scope. Resolves true when the proxy recorded (or already had) the Z. */
  async close(pin: string): Promise<boolean> {
    this.closing = true;
    try {
      const r = await api.closeDay(this.query, pin);
      this.pin = pin;
      this.closed = r;
      this.report = r.report;
      this.error = null;
      this.pinError = null;
      return true;
    } catch (err) {
      this.pinError = describeError(err);
      return false;
    } finally {
      this.closing = false;
    }
  }

  /** The same report as CSV, saved by the browser under the proxy's file name. */
  async downloadCsv(save: (csv: string, filename: string) => void): Promise<void> {
    if (!this.pin) return;
    this.downloading = true;
    try {
      const csv = await api.dayReportCsv(this.query, this.pin);
      const r = this.report;
      save(csv, `day-${r?.storeId ?? 'store'}-${r?.date ?? 'today'}-${this.scope}${r?.closed ? `-z${r.closed.number}` : ''}.csv`);
    } catch (err) {
      this.#fail(err);
    } finally {
      this.downloading = false;
    }
  }

  #fail(err: unknown): void {
    if (err instanceof ApiError && PIN_ERRORS.has(err.code)) {
      // A wrong or too-low PIN: ask again rather than showing an empty report.
      this.pin = null;
      this.report = null;
      this.pinError = describeError(err);
    } else {
      this.error = describeError(err);
    }
  }
}
