// The order queue (issue 5 §3-5): local order changes plus the upload to POST /api/orders.
// - Uploads run under a Web Lock ('kiosk-order-flush'): one tab uploads at a time, and each run re-reads the
//   queue inside the lock, so what another tab already uploaded is not sent again.
// - Failures without a verdict (offline, timeout, 5xx) retry with exponential backoff and jitter; an 'online'
//   event or nudge() retries at once. A refusal (4xx) is kept on the order for staff and not retried.
// - A BroadcastChannel tells other tabs that the queue changed, so their badges follow.
import { backoff } from '../../shared/backoff';
import { DB_NAME } from './db';
import { withLock } from './locks';
import {
  countOrders,
  getOrder,
  listOrders,
  needsUpload,
  OrderStateError,
  recordUpload,
  saveOrder,
  setOrderStatus,
  toUpsert,
  type OrderInput,
} from './orders';
import type { LocalOrderStatus, OrderRecord, QueueCounts } from './types';
import { createUploader, type Uploader } from './upload';

export const FLUSH_LOCK = 'kiosk-order-flush';
export const QUEUE_CHANNEL = 'kiosk-orders';

export interface QueueOptions {
  upload?: Uploader;
  dbName?: string;
  lockName?: string;
  channelName?: string;
  /** Backoff for retries without a verdict: baseMs · 2^(failures-1), capped at maxMs, times a 0.5-1 jitter. */
  backoff?: { baseMs: number; maxMs: number };
  isOnline?: () => boolean;
  locks?: LockManager;
}

export interface FlushReport {
  sent: number;
  refused: number;
  /** Orders still due for upload after this run. */
  remaining: number;
  /** Why the run stopped early, if it did. */
  stopped: null | 'offline' | 'transient' | 'unauthorized';
  /** When the next automatic try is scheduled (ms from now), if any. */
  retryInMs: number | null;
  /** Set when the run failed locally (storage trouble, shown through storage health); retried with backoff. */
  error?: string;
}

type Listener = (counts: QueueCounts) => void;

export class OrderQueue {
  readonly #upload: Uploader;
  readonly #db: string;
  readonly #lock: string;
  readonly #channelName: string;
  readonly #backoff: { baseMs: number; maxMs: number };
  readonly #isOnline: () => boolean;
  readonly #locks: LockManager | undefined;
  #listeners = new Set<Listener>();
  #channel: BroadcastChannel | null = null;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<FlushReport> | null = null;
  #again = false;
  #started = false;
  #onOnline = () => void this.nudge();

  constructor(opts: QueueOptions = {}) {
    this.#upload = opts.upload ?? createUploader();
    this.#db = opts.dbName ?? DB_NAME;
    this.#lock = opts.lockName ?? FLUSH_LOCK;
    this.#channelName = opts.channelName ?? QUEUE_CHANNEL;
    this.#backoff = opts.backoff ?? { baseMs: 2_000, maxMs: 60_000 };
    this.#isOnline = opts.isOnline ?? (() => globalThis.navigator?.onLine ?? true);
    this.#locks = opts.locks ?? globalThis.navigator?.locks;
  }

  // ── local changes (each resolves once the change is on disk; failures throw StorageError/OrderStateError) ──

  /** "Pay" while offline: keep the order for later. */
  queue(input: OrderInput): Promise<OrderRecord> {
    return this.#changed(saveOrder(input, 'queued', this.#db));
  }

  /** Put aside on purpose ("customer fetches their wallet"). */
  park(input: OrderInput): Promise<OrderRecord> {
    return this.#changed(saveOrder(input, 'parked', this.#db));
  }

  /** Staff open a queued/parked order to edit or take payment. */
  reopen(id: string): Promise<OrderRecord> {
    return this.#changed(setOrderStatus(id, 'open', ['open', 'queued', 'parked'], {}, this.#db));
  }

  /** Saves edited lines of an open (reopened) order. */
  update(input: OrderInput): Promise<OrderRecord> {
    return this.#changed(saveOrder(input, 'open', this.#db));
  }

  /** A payment attempt is about to be sent: the order is locked against edits and a second payment. */
  markPaying(id: string): Promise<OrderRecord> {
    return this.#changed(setOrderStatus(id, 'paying', ['open', 'queued', 'parked'], {}, this.#db));
  }

  /** The attempt ended without payment (declined, cancelled): the order goes back for another try. */
  releasePaying(id: string, to: 'open' | 'queued' | 'parked' = 'open'): Promise<OrderRecord> {
    return this.#changed(setOrderStatus(id, to, ['paying'], {}, this.#db));
  }

  /** The proxy confirmed payment: the order leaves the queue once the paid state is uploaded. Idempotent. */
  async markPaid(id: string, paymentId?: string): Promise<OrderRecord | undefined> {
    const cur = await getOrder(id, this.#db);
    if (!cur) return undefined;
    if (cur.status === 'paid' || cur.status === 'synced') return cur;
    return this.#changed(setOrderStatus(id, 'paid', ['open', 'queued', 'parked', 'paying'], paymentId ? { paymentId } : {}, this.#db));
  }

  get(id: string): Promise<OrderRecord | undefined> {
    return getOrder(id, this.#db);
  }

  list(statuses?: readonly LocalOrderStatus[]): Promise<OrderRecord[]> {
    return listOrders(statuses, this.#db);
  }

  counts(): Promise<QueueCounts> {
    return countOrders(this.#db);
  }

  /** Called with the counts now and after every change (from this tab or another). */
  subscribe(fn: Listener): () => void {
    this.#listeners.add(fn);
    void this.#notify(fn);
    return () => this.#listeners.delete(fn);
  }

  // ── upload ──

  /** Begins automatic uploads: now, on every change, when the browser goes online, and on backoff timers. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    globalThis.addEventListener?.('online', this.#onOnline);
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(this.#channelName);
      this.#channel.onmessage = () => void this.#notify();
    }
    void this.flush();
  }

  stop(): void {
    this.#started = false;
    globalThis.removeEventListener?.('online', this.#onOnline);
    this.#channel?.close();
    this.#channel = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Connectivity is back (or staff pressed "Sync now"): forget the backoff and upload now. */
  nudge(): Promise<FlushReport> {
    this.#failures = 0;
    return this.flush();
  }

  /** Uploads every order due. Concurrent calls in this tab share one run (plus one re-run if asked during it). */
  flush(): Promise<FlushReport> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#running = (async () => {
      let report: FlushReport;
      do {
        this.#again = false;
        try {
          report = await withLock(this.#lock, () => this.#flushLocked(), this.#locks);
        } catch (err) {
          // Never an unhandled rejection from a background flush; the storage layer already reported it.
          report = {
            sent: 0,
            refused: 0,
            remaining: 0,
            stopped: 'transient',
            retryInMs: this.#schedule(),
            error: String((err as Error)?.message ?? err),
          };
        }
      } while (this.#again && report.stopped === null);
      return report;
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #flushLocked(): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, refused: 0, remaining: 0, stopped: null, retryInMs: null };
    // Re-read inside the lock: another tab may have uploaded while we waited for it.
    const due = (await listOrders(undefined, this.#db)).filter(needsUpload);
    for (const [i, order] of due.entries()) {
      if (!this.#isOnline()) {
        report.stopped = 'offline';
      } else {
        const r = await this.#upload(toUpsert(order));
        if (r.kind === 'ok') {
          await recordUpload(order.id, order.revision, { ok: true }, this.#db);
          report.sent++;
          continue;
        }
        if (r.kind === 'refused') {
          await recordUpload(order.id, order.revision, { ok: false, code: r.code, message: r.message, status: r.status }, this.#db);
          report.refused++;
          continue;
        }
        report.stopped = r.kind;
      }
      report.remaining = due.length - i;
      break;
    }
    if (report.sent || report.refused) {
      this.#channel?.postMessage({ type: 'changed' });
      void this.#notify();
    }
    if (report.stopped === null) this.#failures = 0;
    else if (report.stopped !== 'offline') report.retryInMs = this.#schedule();
    return report;
  }

  #schedule(): number | null {
    if (!this.#started) return null;
    this.#failures++;
    const { baseMs, maxMs } = this.#backoff;
    const delay = backoff(this.#failures - 1, { baseMs: Math.min(baseMs, maxMs), maxMs, jitter: 0.5 });
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, delay);
    return delay;
  }

  async #changed(p: Promise<OrderRecord>): Promise<OrderRecord> {
    const rec = await p;
    this.#channel?.postMessage({ type: 'changed', id: rec.id });
    void this.#notify();
    // Upload soon, but not while a retry is backing off (a dead proxy should not be hammered per keystroke).
    if (this.#started && !this.#timer) void this.flush();
    return rec;
  }

  async #notify(only?: Listener): Promise<void> {
    let counts: QueueCounts;
    try {
      counts = await countOrders(this.#db);
    } catch {
      return; // storage trouble is reported through storage health
    }
    for (const fn of only ? [only] : this.#listeners) fn(counts);
  }
}

export { OrderStateError };
export type { OrderInput };

/** The app-wide queue (started by the kiosk once it is paired). */
export const orderQueue = new OrderQueue();
