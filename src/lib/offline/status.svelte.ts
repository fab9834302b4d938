// Runes state for the UI: storage health (banner) and queue counts (badge). The storage layer is plain TS so
// it can be tested without Svelte; this file only mirrors its observables into $state.
import type { StorageHealth } from './health';
import { MESSAGES, storageHealthReporter } from './health';
import { orderQueue } from './queue';
import type { QueueCounts } from './types';

class StorageHealthState {
  current = $state<StorageHealth>(storageHealthReporter.current);
  /** Something to show the cashier (error or warning), or null when all is well. */
  message: string | null = $derived(this.current.problem ? MESSAGES[this.current.problem]() : this.current.message);
  level = $derived(this.current.level);
  persisted = $derived(this.current.persisted);
}

export const storageHealth = new StorageHealthState();
storageHealthReporter.subscribe((h) => {
  storageHealth.current = h;
});

const EMPTY: QueueCounts = { waiting: 0, queued: 0, parked: 0, open: 0, paying: 0, unsynced: 0, failed: 0 };

class QueueState {
  counts = $state<QueueCounts>({ ...EMPTY });
  /** The Orders badge: orders waiting for payment. */
  badge: number = $derived(this.counts.waiting);
}

export const queueState = new QueueState();
orderQueue.subscribe((c) => {
  queueState.counts = c;
});
