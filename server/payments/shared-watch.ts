// Whether a kiosk is watching a payment, shared by the proxies on one database. A kiosk's reads and its event
// stream can land on any instance, while only the instance holding the payment's lease asks the provider
// about it (payments/leases.ts); without this, that instance would poll at the slow unwatched cadence while
// the kiosk waits elsewhere. So the instance serving a read marks the payment watched in its row, the one
// holding a stream keeps the terminal's mark ahead of now, and each instance looks, about once a second, for
// payments it holds that are watched through another instance while they sit on a slow timer — and brings
// their checks forward. The writes are throttled (a read writes only when the stored mark is less than half
// a watch period ahead; streams: one UPDATE per half period for all of this instance's streams), and the
// look is skipped while nothing this instance checks could be sped up, so one process on SQLite pays little.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import { clearStreamMark, markPaymentWatched, markStreamsOpen, watchedLeasedPayments } from '../store/watch-marks.ts';

/** How often an instance looks for its payments watched elsewhere: how late it may notice a new watcher. */
export const SHARED_LOOK_MS = 1_000;

export interface SharedWatchOptions {
  db: Kysely<Database>;
  /** This instance's lease owner id. */
  owner: string;
  /** How long a read (or a stream's refresh) counts as watching. */
  seenForMs: number;
  lookMs?: number;
  log: FastifyBaseLogger;
  /** Terminals whose kiosk has its event stream open on this instance. */
  openStreams(): string[];
  /** Whether a payment this instance checks could be sped up by a watcher elsewhere (within `horizonMs`). */
  worthLooking(horizonMs: number): boolean;
  /** A payment this instance holds is watched through some instance until `untilMs`. */
  watchedElsewhere(id: string, untilMs: number): void;
}

export class SharedWatch {
  private readonly writing = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private looking = false;

  constructor(private readonly o: SharedWatchOptions) {}

  start(): void {
    this.stop();
    const every = (ms: number, f: () => Promise<void>) => {
      const t = setInterval(() => void f().catch((err) => this.o.log.warn({ err: String(err) }, 'shared watch marks failed')), ms);
      t.unref?.();
      this.timers.push(t);
    };
    every(this.o.seenForMs / 2, () => markStreamsOpen(this.o.db, this.o.openStreams(), this.until()));
    every(this.o.lookMs ?? SHARED_LOOK_MS, () => this.look());
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** A kiosk read the payment on this instance (the row as just read). */
  read(p: Payment): void {
    const stored = p.watchedUntil ? Date.parse(p.watchedUntil) : 0;
    if (stored - Date.now() >= this.o.seenForMs / 2 || this.writing.has(p.id)) return;
    this.writing.add(p.id);
    markPaymentWatched(this.o.db, p.id, this.until())
      .catch((err) => this.o.log.warn({ paymentId: p.id, err: String(err) }, 'could not mark the payment watched'))
      .finally(() => this.writing.delete(p.id));
  }

  /** A kiosk opened its event stream on this instance: marked at once, then refreshed with the others. */
  streamOpened(terminalId: string): void {
    markStreamsOpen(this.o.db, [terminalId], this.until()).catch((err) =>
      this.o.log.warn({ terminalId, err: String(err) }, 'could not mark the stream open'),
    );
  }

  /** The terminal's last stream on this instance closed. Its mark would keep the terminal's payments on the fast
   *  cadence for a whole watch period after the kiosk went, so it is cleared now; a stream of the same terminal
   *  on another instance marks it again at that instance's next refresh (within half a period). */
  async streamClosed(terminalId: string): Promise<void> {
    try {
      await clearStreamMark(this.o.db, terminalId);
    } catch (err) {
      this.o.log.warn({ terminalId, err: String(err) }, 'could not clear the stream mark');
    }
  }

  /** One look for this instance's payments watched through any instance. */
  async look(): Promise<void> {
    const lookMs = this.o.lookMs ?? SHARED_LOOK_MS;
    if (this.looking || !this.o.worthLooking(2 * lookMs)) return;
    this.looking = true;
    try {
      const now = new Date().toISOString();
      for (const { id, until } of await watchedLeasedPayments(this.o.db, this.o.owner, now)) this.o.watchedElsewhere(id, Date.parse(until));
    } finally {
      this.looking = false;
    }
  }

  private until(): string {
    return new Date(Date.now() + this.o.seenForMs).toISOString();
  }
}
