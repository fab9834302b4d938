// Picks the event bus for the store's dialect: in process on SQLite (one process by design), LISTEN/NOTIFY
// across instances on Postgres.
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/db.ts';
import { EventBus } from './bus.ts';
import { PostgresEventBus, type PushObserver } from './pg-bus.ts';

export function createEventBus(store: Store, databaseUrl: string, log: FastifyBaseLogger, observer?: PushObserver): EventBus {
  return store.dialect === 'postgres' ? new PostgresEventBus({ db: store.db, databaseUrl, log, observer }) : new EventBus();
}
