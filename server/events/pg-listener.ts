// One dedicated Postgres connection per instance that LISTENs for payment events. Not from the pool: a LISTEN
// belongs to its session, and a pooled connection would be handed to queries (and could be dropped) under it.
// When the connection is lost — the server restarted, a failover, an admin's pg_terminate_backend, a dead
// network found by the keep-alive ping — it reconnects with backoff() and says so (onConnected), so the bus
// can catch up from the event log on what it missed while it was deaf.
import pg from 'pg';
import { backoff, type BackoffPolicy } from '../../src/shared/backoff.ts';

export interface ListenerEvents {
  notification(payload: string | undefined): void;
  /** LISTEN is in effect (again). `first`: the first time since start(). */
  connected(first: boolean): void;
  disconnected(err: unknown): void;
}

export interface ListenerOptions {
  connectionString: string;
  channel: string;
  /** Reconnect schedule; 100 ms doubling to 5 s by default. */
  retry?: BackoffPolicy;
  /** A quiet connection is pinged this often; no answer within pingTimeoutMs means it is dead. */
  pingEveryMs?: number;
  pingTimeoutMs?: number;
}

const DEFAULT_RETRY: BackoffPolicy = { baseMs: 100, maxMs: 5_000 };

export class PgListener {
  private client: pg.Client | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private everConnected = false;
  /** The listening session's backend pid (pg_stat_activity.pid), for operators and tests; null while down. */
  backendPid: number | null = null;

  constructor(
    private readonly opts: ListenerOptions,
    private readonly on: ListenerEvents,
  ) {}

  get connected(): boolean {
    return this.client !== null;
  }

  /** Resolves after the first attempt, connected or not: a database that is down at boot is retried in the
   *  background, and /readyz says not ready meanwhile. */
  async start(): Promise<void> {
    this.closed = false;
    await this.connect();
    const every = this.opts.pingEveryMs ?? 15_000;
    this.pingTimer = setInterval(
      () => void this.ping(this.opts.pingTimeoutMs ?? 5_000).then((ok) => ok || this.drop(new Error('ping'))),
      every,
    );
    this.pingTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = null;
    this.backendPid = null;
    await client?.end().catch(() => {});
  }

  /** Whether the connection answers a trivial query within `timeoutMs` (readiness). */
  async ping(timeoutMs: number): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const answered = client.query('select 1').then(
      () => true,
      () => false,
    );
    return Promise.race([answered, late]).finally(() => clearTimeout(timer));
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      keepAlive: true,
      application_name: 'kiosk-event-listener',
    });
    client.on('notification', (msg) => {
      if (msg.channel === this.opts.channel) this.on.notification(msg.payload);
    });
    // Both fire on a lost connection (error first, for a terminated backend); drop() handles it once.
    client.on('error', (err) => this.drop(err, client));
    client.on('end', () => this.drop(new Error('connection ended'), client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.opts.channel}`);
      this.backendPid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    } catch (err) {
      client.removeAllListeners('end');
      client.on('error', () => {});
      await client.end().catch(() => {});
      this.scheduleRetry(err);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.attempt = 0;
    const first = !this.everConnected;
    this.everConnected = true;
    this.on.connected(first);
  }

  private drop(err: unknown, which: pg.Client | null = this.client): void {
    if (which === null || which !== this.client) return;
    this.client = null;
    this.backendPid = null;
    which.removeAllListeners('end');
    which.on('error', () => {});
    void which.end().catch(() => {});
    if (this.closed) return;
    this.on.disconnected(err);
    this.scheduleRetry(err);
  }

  private scheduleRetry(_err: unknown): void {
    if (this.closed) return;
    const delay = backoff(Math.min(this.attempt++, 30), this.opts.retry ?? DEFAULT_RETRY);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }
}
