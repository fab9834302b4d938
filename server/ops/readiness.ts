// GET /readyz: may a load balancer send this instance traffic? Unlike /healthz (liveness: the process
// answers), readiness asks the database: it answers a trivial query within a short time, and its schema is
// the one this code expects. A failed check names itself, never the database's error text.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../store/db.ts';
import { migrationStatus } from '../store/migrations/index.ts';
import type { Database } from '../store/schema.ts';

/** A readiness probe is typically given 1-5 s; answer within it even when the database hangs. */
export const DB_CHECK_TIMEOUT_MS = 1_000;

export interface Readiness {
  ready: boolean;
  checks: {
    database: { ok: boolean; ms?: number; error?: string };
    /** pending: the code's migrations the database lacks (not ready: this code would query columns that do
     *  not exist). unknown: migrations a newer version applied; still ready, since migrations only add, and
     *  a rolling deploy keeps old instances serving while the first new one migrates. */
    migrations: { ok: boolean; pending?: string[]; unknown?: string[]; error?: string };
    /** Postgres only: the LISTEN connection that brings other instances' changes to this one's streams.
     *  Without it kiosks streaming here would miss pushes (they would fall back to polling). */
    listener?: { ok: boolean; error?: string };
  };
}

/** Whether the bus's listening connection answers within the time given; null: there is none (SQLite). */
export type ListenerProbe = (timeoutMs: number) => Promise<boolean | null>;

class Timeout extends Error {}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  // The losing query still settles later; swallow its outcome so it is not an unhandled rejection.
  work.catch(() => {});
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export async function checkReadiness(
  db: Kysely<Database>,
  dialect: Dialect,
  timeoutMs = DB_CHECK_TIMEOUT_MS,
  listenerProbe?: ListenerProbe,
): Promise<Readiness> {
  const listening = listenerProbe?.(timeoutMs).catch(() => false);
  const started = performance.now();
  let database: Readiness['checks']['database'];
  try {
    await within(timeoutMs, sql`select 1`.execute(db));
    database = { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    database = { ok: false, error: err instanceof Timeout ? `no answer within ${timeoutMs} ms` : 'unreachable' };
  }
  let migrations: Readiness['checks']['migrations'];
  if (!database.ok) {
    migrations = { ok: false, error: 'not checked: database unavailable' };
  } else {
    try {
      const { pending, unknown } = await within(timeoutMs, migrationStatus(db, dialect));
      migrations = { ok: pending.length === 0, pending, ...(unknown.length ? { unknown } : {}) };
    } catch (err) {
      migrations = { ok: false, error: err instanceof Timeout ? `no answer within ${timeoutMs} ms` : 'cannot read the migration table' };
    }
  }
  const heard = await listening;
  const listener = heard === null || heard === undefined ? undefined : heard ? { ok: true } : { ok: false, error: 'not connected' };
  return {
    ready: database.ok && migrations.ok && (listener?.ok ?? true),
    checks: { database, migrations, ...(listener ? { listener } : {}) },
  };
}
