// The kiosks' event streams in the scale bench's chaos phase: one per paired terminal, run by the kiosk's own
// stream client (src/lib/api/events.ts: reconnects with its backoff and resumes with Last-Event-ID), every
// connection to a random live instance, as behind a load balancer. A SIGKILL cuts the streams of the instance
// that died; the client reconnects to another and is replayed what it missed. A payment's push is missed when
// its final status (the books' status at the end) never arrived on its terminal's stream.
import { createPaymentEvents, type PaymentEvents } from '../../src/lib/api/events.ts';
import { isOpen } from '../../src/shared/payment.ts';
import { sleep } from '../chaos/kiosk-api.ts';
import type { BookRow } from './database.ts';

export interface PushStats {
  streams: number;
  /** Connections opened beyond each stream's first (after a SIGKILL, a refused connect, a replaced stream). */
  reconnects: number;
  /** Payments with a final status in the books. */
  finals: number;
  /** Those whose final status no stream showed, as `id: books status (statuses pushed)`. */
  missed: string[];
  /** From the books agreeing with the ledgers until the last final status had arrived (settle()). */
  lastArrivedAfterMs: number;
}

export class KioskStreams {
  /** Statuses pushed per payment id. */
  private readonly pushed = new Map<string, Set<string>>();
  private readonly streams: PaymentEvents[] = [];
  private connects = 0;

  /** `pick`: the origin of a live instance, chosen per connection. */
  constructor(tokens: readonly string[], pick: () => string) {
    for (const token of new Set(tokens)) {
      const s = createPaymentEvents({
        url: '/api/events',
        getToken: () => token,
        // The client asks for its `url` (a path); the load balancer decides where it goes.
        fetch: (input, init) => {
          this.connects++;
          const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
          return fetch(`${pick()}${path}`, init);
        },
      });
      s.subscribe((p) => {
        let seen = this.pushed.get(p.id);
        if (!seen) this.pushed.set(p.id, (seen = new Set()));
        seen.add(p.status);
      });
      s.start();
      this.streams.push(s);
    }
  }

  stats(books: BookRow[], since = Date.now()): PushStats {
    const finals = books.filter((b) => !isOpen(b.status));
    return {
      streams: this.streams.length,
      reconnects: Math.max(0, this.connects - this.streams.length),
      finals: finals.length,
      missed: finals
        .filter((b) => !this.pushed.get(b.id)?.has(b.status))
        .map((b) => `${b.id}: ${b.status} (pushed: ${[...(this.pushed.get(b.id) ?? [])].join(', ') || 'nothing'})`),
      lastArrivedAfterMs: Date.now() - since,
    };
  }

  /** Waits until every final status has arrived or `ms` has passed: a stream may be in its reconnect
   *  backoff (up to ~19 s after several short-lived connections) when the books settle. */
  async settle(books: BookRow[], ms: number): Promise<PushStats> {
    const since = Date.now();
    let s = this.stats(books, since);
    while (s.missed.length > 0 && Date.now() < since + ms) {
      await sleep(100);
      s = this.stats(books, since);
    }
    return s;
  }

  stop(): void {
    for (const s of this.streams) s.stop();
  }
}
