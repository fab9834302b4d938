// The kiosk's IndexedDB (via idb), DESIGN §9. The schema is versioned: each version's upgrade step runs once,
// in order, so a tablet that skipped releases still ends up with the latest schema and keeps its data.
// Every read/write goes through withStore(), which turns storage failures into a StorageError with a human
// message and reports them to the storage-health state: an order that could not be saved is never silent.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { classifyStorageError, StorageError, storageHealthReporter } from './health';
import type { AttemptRecord, LocalOrderStatus, OrderRecord } from './types';

export const DB_NAME = 'kiosk';
export const DB_VERSION = 1;

export interface KioskDB extends DBSchema {
  orders: {
    key: string;
    value: OrderRecord;
    indexes: { 'by-status': LocalOrderStatus; 'by-updated': string };
  };
  attempts: {
    key: string;
    value: AttemptRecord;
    indexes: { 'by-order': string; 'by-status': string };
  };
  meta: { key: string; value: unknown };
}

export type KioskDatabase = IDBPDatabase<KioskDB>;
type UpgradeTx = IDBPTransaction<KioskDB, StoreNames<KioskDB>[], 'versionchange'>;

/** One step per schema version. Never edit a released step: add the next one. */
const UPGRADES: Record<number, (db: KioskDatabase, tx: UpgradeTx) => void> = {
  1: (db) => {
    const orders = db.createObjectStore('orders', { keyPath: 'id' });
    orders.createIndex('by-status', 'status');
    orders.createIndex('by-updated', 'updatedAt');
    const attempts = db.createObjectStore('attempts', { keyPath: 'idempotencyKey' });
    attempts.createIndex('by-order', 'orderId');
    attempts.createIndex('by-status', 'status');
    db.createObjectStore('meta');
  },
};

export function upgradeKioskDb(db: KioskDatabase, oldVersion: number, newVersion: number, tx: UpgradeTx): void {
  for (let v = oldVersion + 1; v <= newVersion; v++) UPGRADES[v]?.(db, tx);
}

const connections = new Map<string, Promise<KioskDatabase>>();

/** The shared connection (opened once per page; reopened if the browser closes it). */
export function openKioskDb(name = DB_NAME, version = DB_VERSION): Promise<KioskDatabase> {
  let p = connections.get(name);
  if (p) return p;
  if (typeof indexedDB === 'undefined' || indexedDB === null) {
    storageHealthReporter.fail('unavailable');
    return Promise.reject(new StorageError('unavailable'));
  }
  p = openDB<KioskDB>(name, version, {
    upgrade: (db, oldVersion, newVersion, tx) => upgradeKioskDb(db, oldVersion, newVersion ?? version, tx),
    // A newer kiosk version in another tab wants to upgrade: step aside so it is not blocked forever; this
    // tab reopens on its next operation (and its own update prompt will bring it to the new version).
    blocking: () => closeKioskDb(name),
    terminated: () => connections.delete(name),
  }).catch((err: unknown) => {
    connections.delete(name);
    const problem = classifyStorageError(err);
    storageHealthReporter.fail(problem === 'failed' ? 'unavailable' : problem);
    throw new StorageError(problem === 'failed' ? 'unavailable' : problem, err);
  });
  connections.set(name, p);
  return p;
}

export function closeKioskDb(name = DB_NAME): void {
  const p = connections.get(name);
  connections.delete(name);
  p?.then(
    (db) => db.close(),
    () => {},
  );
}

/**
 * Runs `fn` against the database and reports the outcome to storage health. Write transactions should be
 * opened with { durability: 'strict' } and awaited to `tx.done` inside `fn`, so success means "on disk".
 */
export async function withDb<T>(fn: (db: KioskDatabase) => Promise<T>, name = DB_NAME): Promise<T> {
  const db = await openKioskDb(name);
  try {
    const out = await fn(db);
    storageHealthReporter.ok();
    return out;
  } catch (err) {
    if (err instanceof StorageError) throw err;
    const problem = classifyStorageError(err);
    // Unknown failures (e.g. ConstraintError from a caller's own logic) are not storage health problems.
    if (problem === 'quota' || problem === 'unavailable' || isDomStorageError(err)) {
      storageHealthReporter.fail(problem);
      throw new StorageError(problem, err);
    }
    throw err;
  }
}

function isDomStorageError(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'UnknownError' || name === 'TransactionInactiveError' || name === 'VersionError';
}

let persistOnce: Promise<boolean | null> | null = null;

/**
 * Asks the browser once per page to keep our data under storage pressure (navigator.storage.persist()).
 * Chromium grants it to installed apps and engaged sites without a prompt; a refusal is a warning, shown.
 */
export function requestPersistence(storage: StorageManager | undefined = globalThis.navigator?.storage): Promise<boolean | null> {
  persistOnce ??= (async () => {
    if (!storage?.persist) {
      storageHealthReporter.persisted(null);
      return null;
    }
    let granted: boolean;
    try {
      granted = (await storage.persisted?.()) || (await storage.persist());
    } catch {
      granted = false;
    }
    storageHealthReporter.persisted(granted);
    return granted;
  })();
  return persistOnce;
}

/** Tests only: forget the cached persistence answer. */
export function resetPersistenceForTests(): void {
  persistOnce = null;
}
