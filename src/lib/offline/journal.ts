// The payment-attempt journal (issue 4, DESIGN §9). An attempt is written, with its Idempotency-Key, BEFORE
// the first request leaves the tablet: after a crash, a reload or a lost answer the kiosk re-reads every
// unresolved attempt and asks the proxy where it stands, retrying with the SAME key, never a new one.
// While an attempt for an order is unresolved, a second attempt for that order is refused here, in the same
// IndexedDB transaction that checks it, so two tabs cannot both start charging one order.
import type { Money } from '../../shared/money';
import { canTransition, isOpen, type PaymentMode, type PaymentStatus, type ProviderName, type Vendor } from '../../shared/payment';
import { DB_NAME, withDb } from './db';
import type { AttemptRecord, AttemptStatus } from './types';

/** Still in flight or of unknown outcome: the order is locked until the proxy says how it ended. */
export function isUnresolved(status: AttemptStatus): boolean {
  return status === 'sending' || isOpen(status);
}

export class AttemptBlockedError extends Error {
  constructor(readonly existing: AttemptRecord) {
    super('A payment for this order is still in progress; wait for its outcome before trying again.');
    this.name = 'AttemptBlockedError';
  }
}

export interface NewAttempt {
  idempotencyKey: string;
  orderId: string;
  amount: Money;
  mode: PaymentMode;
  vendor?: Vendor | null;
  provider?: ProviderName | null;
}

/**
 * Journals an attempt as `sending`. Calling again with the same key returns the existing record (a retry of the
 * same attempt). Throws AttemptBlockedError if another attempt for the order is unresolved, StorageError if it
 * could not be saved — in both cases the request must NOT be sent.
 */
export async function journalAttempt(a: NewAttempt, dbName = DB_NAME): Promise<AttemptRecord> {
  return withDb(async (db) => {
    const tx = db.transaction('attempts', 'readwrite', { durability: 'strict' });
    const existing = await tx.store.get(a.idempotencyKey);
    if (existing) {
      await tx.done;
      return existing;
    }
    const blocking = (await tx.store.index('by-order').getAll(a.orderId)).find((r) => isUnresolved(r.status));
    if (blocking) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new AttemptBlockedError(blocking);
    }
    const now = new Date().toISOString();
    const rec: AttemptRecord = {
      idempotencyKey: a.idempotencyKey,
      orderId: a.orderId,
      amount: { ...a.amount },
      mode: a.mode,
      vendor: a.vendor ?? null,
      provider: a.provider ?? null,
      status: 'sending',
      createdAt: now,
      updatedAt: now,
    };
    await tx.store.add(rec);
    await tx.done;
    return rec;
  }, dbName);
}

export interface AttemptUpdate {
  status: PaymentStatus;
  paymentId?: string;
  providerRef?: string | null;
}

/** Records what the proxy said about an attempt (create answer, SSE event, poll). Unknown key → undefined. */
export async function recordAttempt(idempotencyKey: string, u: AttemptUpdate, dbName = DB_NAME): Promise<AttemptRecord | undefined> {
  return withDb(async (db) => {
    const tx = db.transaction('attempts', 'readwrite', { durability: 'strict' });
    const rec = await tx.store.get(idempotencyKey);
    if (!rec) {
      await tx.done;
      return undefined;
    }
    // Answers arrive out of order (a slow poll after an SSE push): never move an attempt backwards, e.g. from
    // succeeded back to pending, or the order would look payable again.
    const from = rec.status;
    if (from !== 'sending' && from !== u.status && !canTransition(from, u.status)) {
      await tx.done;
      return rec;
    }
    const next: AttemptRecord = {
      ...rec,
      status: u.status,
      paymentId: u.paymentId ?? rec.paymentId,
      providerRef: u.providerRef ?? rec.providerRef ?? null,
      updatedAt: new Date().toISOString(),
    };
    await tx.store.put(next);
    await tx.done;
    return next;
  }, dbName);
}

/** Every attempt whose outcome the kiosk does not know yet, oldest first (resume these after a reload). */
export async function openAttempts(dbName = DB_NAME): Promise<AttemptRecord[]> {
  const all = await withDb((db) => db.getAll('attempts'), dbName);
  return all.filter((r) => isUnresolved(r.status)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function attemptsForOrder(orderId: string, dbName = DB_NAME): Promise<AttemptRecord[]> {
  const rows = await withDb((db) => db.getAllFromIndex('attempts', 'by-order', orderId), dbName);
  return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function unresolvedAttempt(orderId: string, dbName = DB_NAME): Promise<AttemptRecord | undefined> {
  return (await attemptsForOrder(orderId, dbName)).find((r) => isUnresolved(r.status));
}

/** Drops resolved attempts older than `maxAgeMs` (default 30 days); unresolved ones are never dropped. */
export async function pruneAttempts(maxAgeMs = 30 * 86_400_000, dbName = DB_NAME): Promise<number> {
  const cutoff = new Date(Date.now() - maxAgeMs).toISOString();
  return withDb(async (db) => {
    const tx = db.transaction('attempts', 'readwrite');
    let n = 0;
    for (let c = await tx.store.openCursor(); c; c = await c.continue()) {
      if (!isUnresolved(c.value.status) && c.value.updatedAt < cutoff) {
        await c.delete();
        n++;
      }
    }
    await tx.done;
    return n;
  }, dbName);
}
