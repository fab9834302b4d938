// The kiosk's IndexedDB (fake-indexeddb: a complete in-memory IndexedDB implementation) and storage health.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeKioskDb, DB_VERSION, openKioskDb, requestPersistence, resetPersistenceForTests, withDb } from '../../src/lib/offline/db';
import { classifyStorageError, HealthReporter, MESSAGES, StorageError, storageHealthReporter } from '../../src/lib/offline/health';

const dbName = () => `kiosk-test-${randomUUID()}`;

afterEach(() => {
  storageHealthReporter.ok();
  storageHealthReporter.persisted(null);
  resetPersistenceForTests();
});

describe('schema', () => {
  it('creates the versioned stores and indexes', async () => {
    const name = dbName();
    const db = await openKioskDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['attempts', 'meta', 'orders']);
    const tx = db.transaction(['orders', 'attempts'], 'readonly');
    expect([...tx.objectStore('orders').indexNames].sort()).toEqual(['by-status', 'by-updated']);
    expect([...tx.objectStore('attempts').indexNames].sort()).toEqual(['by-order', 'by-status']);
    expect(tx.objectStore('attempts').keyPath).toBe('idempotencyKey');
    closeKioskDb(name);
  });

  it('keeps data across a closed and reopened connection (a browser restart)', async () => {
    const name = dbName();
    await withDb(async (db) => db.put('meta', { hello: 'world' }, 'probe'), name);
    closeKioskDb(name);
    await new Promise((r) => setTimeout(r, 10));
    expect(await withDb((db) => db.get('meta', 'probe'), name)).toEqual({ hello: 'world' });
    closeKioskDb(name);
  });
});

describe('storage health', () => {
  it('reports IndexedDB being unavailable (private mode) with a human message', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const err = await withDb(async () => 1, dbName()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).problem).toBe('unavailable');
      expect(storageHealthReporter.current).toMatchObject({ level: 'error', problem: 'unavailable', message: MESSAGES.unavailable() });
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('turns a QuotaExceededError into a visible error that the next success clears', async () => {
    const name = dbName();
    const seen: string[] = [];
    const off = storageHealthReporter.subscribe((h) => seen.push(h.level));
    const err = await withDb(async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }, name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).message).toMatch(/NOT saved/);
    expect(storageHealthReporter.current.problem).toBe('quota');
    await withDb((db) => db.count('orders'), name);
    expect(storageHealthReporter.current.level).toBe('ok');
    expect(seen).toEqual(['ok', 'error', 'ok']);
    off();
    closeKioskDb(name);
  });

  it('does not treat a logic error as storage trouble', async () => {
    const err = await withDb(async () => {
      throw new RangeError('bug');
    }, dbName()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect(storageHealthReporter.current.level).toBe('ok');
  });

  it('classifies browser error names', () => {
    expect(classifyStorageError(new DOMException('x', 'QuotaExceededError'))).toBe('quota');
    expect(classifyStorageError(new DOMException('x', 'InvalidStateError'))).toBe('unavailable');
    expect(classifyStorageError(new DOMException('x', 'DataError'))).toBe('failed');
  });
});

describe('navigator.storage.persist()', () => {
  it('asks once and warns when persistence is denied', async () => {
    let asked = 0;
    const storage = { persisted: async () => false, persist: async () => (asked++, false) } as unknown as StorageManager;
    expect(await requestPersistence(storage)).toBe(false);
    expect(await requestPersistence(storage)).toBe(false);
    expect(asked).toBe(1);
    expect(storageHealthReporter.current).toMatchObject({ level: 'warning', problem: 'not-persistent', persisted: false });
  });

  it('is fine when already persisted, without asking again', async () => {
    let asked = 0;
    const storage = { persisted: async () => true, persist: async () => (asked++, true) } as unknown as StorageManager;
    expect(await requestPersistence(storage)).toBe(true);
    expect(asked).toBe(0);
    expect(storageHealthReporter.current).toMatchObject({ level: 'ok', persisted: true });
  });

  it('keeps an error above the persistence warning until a success', () => {
    const h = new HealthReporter();
    h.persisted(false);
    h.fail('quota');
    h.persisted(false);
    expect(h.current.level).toBe('error');
    h.ok();
    expect(h.current).toMatchObject({ level: 'warning', problem: 'not-persistent' });
  });
});
