// Picks the event bus for the store's dialect: in process on SQLite (one process by design), LISTEN/NOTIFY
// across instances on Postgres.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Store } from '../store/db.ts';
import { EventBus } from './bus.ts';
import { PostgresEventBus, type PushObserver } from './pg-bus.ts';

export function createEventBus(store: Store, config: Config, log: FastifyBaseLogger, observer?: PushObserver): EventBus {
  if (store.dialect !== 'postgres') return new EventBus();
  const baseMs = config.listenReconnectMs;
  return new PostgresEventBus({
    db: store.db,
    databaseUrl: config.databaseUrl,
    log,
    observer,
    listener: { retry: { baseMs, maxMs: Math.max(5_000, baseMs) } },
  });
}
