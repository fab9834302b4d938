// The "Needs attention" list as runes state: loaded when the kiosk is paired, refreshed every 30 s, when a
// pushed payment update concerns it, and after every staff action. The badge in the top bar reads `count`.
import type { AttentionItem, StoredDifference } from '../../shared/api';
import type { StaffCallView } from '../../shared/self-checkout-api';
import { describeError } from '../../lib/api/errors';
import { onStaffCall, paymentEvents } from '../../lib/api/events';
import { getToken } from '../../lib/api/token';
import { fetchAttention } from './staff-api';
import { m } from '../../paraglide/messages.js';

const REFRESH_MS = 30_000;

class AttentionState {
  items = $state<AttentionItem[]>([]);
  /** Unresolved reconciliation differences of the store (our books vs a provider's). */
  differences = $state<StoredDifference[]>([]);
  /** Customers' open "Call staff" requests at the store's self-checkout tablets (pushed as they happen). */
  staffCalls = $state<StaffCallView[]>([]);
  error = $state<string | null>(null);
  loading = $state(false);
  loadedAt = $state<number | null>(null);
  count: number = $derived(this.items.length + this.differences.length + this.staffCalls.length);

  #started = false;
  #soon: ReturnType<typeof setTimeout> | null = null;

  start(): void {
    if (this.#started || typeof window === 'undefined') return;
    this.#started = true;
    void this.refresh();
    setInterval(() => void this.refresh(), REFRESH_MS);
    paymentEvents.subscribe((p) => {
      if (p.needsAttention || this.items.some((i) => i.payment.id === p.id)) this.refreshSoon();
    });
    window.addEventListener('online', () => this.refreshSoon());
    onStaffCall(() => this.refreshSoon());
  }

  /** Coalesces bursts of pushed updates into one request. */
  refreshSoon(): void {
    if (this.#soon) return;
    this.#soon = setTimeout(() => {
      this.#soon = null;
      void this.refresh();
    }, 300);
  }

  async refresh(): Promise<void> {
    if (!getToken()) return;
    this.loading = true;
    try {
      const list = await fetchAttention();
      this.items = list.items;
      this.differences = list.differences ?? [];
      this.staffCalls = list.staffCalls ?? [];
      this.error = null;
      this.loadedAt = Date.now();
    } catch (err) {
      // Keep the last list: it is still what staff need to see, with a note that it may be stale.
      this.error = m.attention_refresh_failed({ error: describeError(err) });
    } finally {
      this.loading = false;
    }
  }
}

export const attention = new AttentionState();
