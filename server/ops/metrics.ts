// What GET /metrics exposes (Prometheus text format, prom-client). Two kinds of numbers:
// - Database-wide state, read by grouped queries at scrape time (chosen over counters bumped on each
//   transition: exact, unaffected by restarts, and no hook in the one write path): payments by provider and
//   status, open payments and the oldest one's age. The same on every proxy of one database — aggregate them
//   across instances with max(), not sum(). The grouped count reads the whole `payments` table: a scrape took
//   ~90 ms at 830,000 payments on Postgres 15 (2 shared cores), so scrape every 15–60 s, not every second.
// - This process's own events: provider HTTP latency and errors (every exchange through the providers'
//   HTTP helper, reported by the observer the app hands them), notification lag, and prom-client's default
//   process metrics. Counters and histograms reset with the process: use rate()/increase() and sum() across
//   instances.
import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PushObserver } from '../events/pg-bus.ts';
import type { HttpObservation, HttpObserver } from '../providers/http.ts';
import type { Database } from '../store/schema.ts';
import { getWebhookEvent } from '../store/webhook-events.ts';

const OPEN_STATUSES = ['created', 'pending', 'unknown'] as const;

// Process-wide: the default metrics describe the process, and their collectors (an event-loop delay monitor,
// a GC observer) should exist once however many apps one process builds (the tests build hundreds).
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface Metrics extends HttpObserver, PushObserver {
  /** A notification caused a status change now: observe the time since we first received it. */
  notificationApplied(provider: string, eventId: string): Promise<void>;
  /** This instance took a payment or refund whose holder's lease had run out (its instance died or stalled). */
  tookOver(table: 'payments' | 'refunds'): void;
  /** The exposition: content type and text. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(db: Kysely<Database>): Metrics {
  const registry = new Registry();

  new Gauge({
    name: 'kiosk_payments',
    help: 'Payments in the database by provider and status (database-wide: aggregate with max).',
    labelNames: ['provider', 'status'],
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('payments')
        .select(['provider', 'status', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy(['provider', 'status'])
        .execute();
      this.reset();
      for (const r of rows) this.set({ provider: r.provider, status: r.status }, Number(r.n));
    },
  });
  // Both open-payment gauges come from one query; prom-client collects every metric of a scrape at once,
  // so the second collect() joins the query the first one started.
  let openQuery: Promise<{ provider: string; n: number; since: string | null }[]> | null = null;
  const openRows = () =>
    (openQuery ??= db
      .selectFrom('payments')
      .select(['provider', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.min('created_at').as('since')])
      .where('status', 'in', OPEN_STATUSES)
      .groupBy('provider')
      .execute()
      .then((rows) => rows.map((r) => ({ provider: r.provider, n: Number(r.n), since: r.since === null ? null : String(r.since) })))
      .finally(() => {
        openQuery = null;
      }));
  new Gauge({
    name: 'kiosk_payments_open',
    help: 'Open payments (created, pending, unknown) by provider: waiting on the customer or the provider.',
    labelNames: ['provider'],
    registers: [registry],
    async collect() {
      const rows = await openRows();
      this.reset();
      for (const r of rows) this.set({ provider: r.provider }, r.n);
    },
  });
  new Gauge({
    name: 'kiosk_payments_open_oldest_age_seconds',
    help: 'Age of the oldest open (created, pending, unknown) payment by provider.',
    labelNames: ['provider'],
    registers: [registry],
    async collect() {
      const rows = await openRows();
      this.reset();
      const now = Date.now();
      for (const r of rows) if (r.since) this.set({ provider: r.provider }, Math.max(0, (now - Date.parse(r.since)) / 1000));
    },
  });

  const latency = new Histogram({
    name: 'kiosk_provider_request_duration_seconds',
    help: 'Provider HTTP calls: time to the full answer (or the failure), by route.',
    labelNames: ['provider', 'route'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'kiosk_provider_request_errors_total',
    help: 'Provider HTTP calls without a usable answer: timeout, network, unreachable, http_5xx, rate_limited (429).',
    labelNames: ['provider', 'route', 'kind'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'kiosk_notification_lag_seconds',
    help: "From a notification's first receipt (any instance; retries included) to the status change it caused.",
    labelNames: ['provider'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  });

  // Postgres only (several instances): changes another instance committed, pushed to this one's streams.
  const pushLag = new Histogram({
    name: 'kiosk_push_lag_seconds',
    help: "From another instance's commit of a payment change to its push to this instance's event streams (NOTIFY path; clocks of both hosts).",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const listenerReconnects = new Counter({
    name: 'kiosk_push_listener_reconnects_total',
    help: 'Times the LISTEN connection came back after it was lost (each followed by a catch-up from the event log).',
    registers: [registry],
  });
  const takeovers = new Counter({
    name: 'kiosk_claim_takeovers_total',
    help: "Payments and refunds this instance took over because their holder's lease ran out (an instance died or stalled).",
    labelNames: ['kind'],
    registers: [registry],
  });

  const merged = Registry.merge([processMetrics(), registry]);
  return {
    exchanged(o: HttpObservation) {
      latency.observe({ provider: o.provider, route: o.route }, o.seconds);
      const kind = o.failure ?? (o.status === 429 ? 'rate_limited' : o.status !== undefined && o.status >= 500 ? 'http_5xx' : undefined);
      if (kind) errors.inc({ provider: o.provider, route: o.route, kind });
    },
    pushed(seconds) {
      pushLag.observe(seconds);
    },
    reconnected() {
      listenerReconnects.inc();
    },
    tookOver(table) {
      takeovers.inc({ kind: table === 'payments' ? 'payment' : 'refund' });
    },
    async notificationApplied(provider, eventId) {
      const event = await getWebhookEvent(db, provider, eventId);
      if (event) lag.observe({ provider }, Math.max(0, (Date.now() - Date.parse(event.receivedAt)) / 1000));
    },
    async scrape() {
      return { contentType: merged.contentType, body: await merged.metrics() };
    },
  };
}
