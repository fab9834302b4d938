// The sales history screen's state (issue 11, items 1-3): filters, the loaded pages, and the open sale.
// Store scope needs a supervisor or manager: the one signed in at the tablet (nothing to type; the proxy reads
// the session, no PIN check per page; it ends with the session), or else a supervisor's PIN, checked once by
// the proxy for a store-view grant (lib/staff/screen-grant: the same exchange as the Day close screen's):
// pages, searches and details then send the grant, not the PIN (a PIN check is a slow scrypt hash, and counts
// against the lockout). The PIN itself is not kept; the grant is held in memory only while the History screen
// is open, and forgotten on leaving, when it expires (2 minutes) or when the proxy says it has ended.
import type { HistoryPayment, PaymentDetail } from '../../shared/api';
import { businessDay } from '../../shared/business-day';
import { api, type StaffSay } from '../../lib/api/client';
import { describeError } from '../../lib/api/errors';
import { app } from '../../lib/kiosk/app.svelte';
import { ScreenGrant } from '../../lib/staff/screen-grant.svelte';
import { staffSession } from '../../lib/staff/session.svelte';

const PAGE = 25;

export type Scope = 'terminal' | 'store';

class HistoryState {
  q = $state('');
  status = $state('');
  vendor = $state('');
  /** Business days (YYYY-MM-DD, the store's timezone); empty: no bound. */
  from = $state('');
  to = $state('');
  scope = $state<Scope>('terminal');
  payments = $state<HistoryPayment[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  detail = $state<PaymentDetail | null>(null);

  // The grant ended (expired, or its holder's role changed): back to this till.
  #grant = new ScreenGrant('store_view', () => this.useTerminal());
  #generation = 0;

  today(): string {
    return businessDay(new Date(), app.terminal?.store.timezone ?? 'UTC');
  }

  /** Opening the screen: today's sales of this till. */
  reset(): void {
    this.forgetPin();
    this.q = '';
    this.status = '';
    this.vendor = '';
    this.from = this.today();
    this.to = this.today();
    this.detail = null;
    this.#clearRows();
    void this.search().catch(() => undefined);
  }

  /** The rows on screen stay until the answer replaces them: a cashier typing sees no flash of an empty
   *  list, and a tap on a sale while the next search is on its way still opens it (the rows are keyed by
   *  payment, so a sale still listed keeps its button). */
  async search(): Promise<void> {
    await this.#load(null);
  }

  #clearRows(): void {
    this.payments = [];
    this.nextCursor = null;
  }

  async more(): Promise<void> {
    if (this.nextCursor) await this.#load(this.nextCursor);
  }

  async #load(cursor: string | null): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const page = await api.searchPayments(
        {
          q: this.q.trim() || undefined,
          status: this.status || undefined,
          vendor: this.vendor || undefined,
          from: this.from || undefined,
          to: this.to || undefined,
          scope: this.scope,
          limit: PAGE,
          cursor: cursor ?? undefined,
        },
        this.#say(),
      );
      // A newer search started meanwhile: its answer wins.
      if (generation !== this.#generation) return;
      this.payments = cursor ? [...this.payments, ...page.payments] : page.payments;
      this.nextCursor = page.nextCursor;
      this.error = null;
    } catch (err) {
      if (generation === this.#generation) {
        this.error = describeError(err);
        // Rows of an older search under a new query would read as its results.
        if (!cursor) this.#clearRows();
      }
      this.#grant.endedBy(err);
      throw err;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Whether the whole store can be shown without a PIN: a supervisor or manager is signed in here. */
  get storeBySession(): boolean {
    return staffSession.isAtLeast('supervisor');
  }

  /** Switches to the whole store with a supervisor's PIN, or (none) the signed-in supervisor's session;
   *  throws (wrong PIN, session ended…) and stays on this till. */
  async useStore(pin?: string): Promise<void> {
    try {
      if (pin !== undefined) await this.#grant.buy(pin);
      this.scope = 'store';
      await this.search();
    } catch (err) {
      this.useTerminal();
      throw err;
    }
  }

  /** Whoever is signed in changed: a store view held by a session that no longer allows it goes back. */
  staffChanged(): void {
    if (this.scope === 'store' && !this.#grant.held && !this.storeBySession) this.useTerminal();
  }

  useTerminal(): void {
    this.forgetPin();
    void this.search().catch(() => undefined);
  }

  forgetPin(): void {
    this.#grant.forget();
    // Other tills' sales leave the screen at once, not when this till's answer arrives.
    if (this.scope === 'store') this.#clearRows();
    this.scope = 'terminal';
  }

  /** What store-scope reads send: the grant if a PIN bought one; nothing (the session) otherwise. */
  #say(): StaffSay | undefined {
    return this.scope === 'store' ? this.#grant.say() : undefined;
  }

  async open(id: string): Promise<void> {
    this.loading = true;
    try {
      this.detail = await api.paymentDetail(id, this.scope, this.#say());
      this.error = null;
    } catch (err) {
      this.error = describeError(err);
      this.#grant.endedBy(err);
    } finally {
      this.loading = false;
    }
  }

  async reload(): Promise<void> {
    if (this.detail) await this.open(this.detail.payment.id);
  }

  close(): void {
    this.detail = null;
    void this.search().catch(() => undefined);
  }
}

export const history = new HistoryState();
