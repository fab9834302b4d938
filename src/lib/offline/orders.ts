// Local order records and their allowed status changes (see types.ts for the meaning of each status).
// Every change is one strict-durability IndexedDB transaction that re-reads the record first, so two tabs
// changing the same order cannot overwrite each other with stale copies, and a resolved call means "on disk".
import { MoneyError, type Money } from '../../shared/money';
import type { OrderLine, OrderUpsertRequest } from '../../shared/orders';
import { DB_NAME, withDb } from './db';
import type { LocalOrderStatus, OrderRecord, QueueCounts } from './types';

/** A cart line as the checkout holds it (src/lib/checkout/cart-math.ts CartLine) or a wire OrderLine. */
export type LineInput =
  | { sku?: string | null; name: string; unitPrice: Money; qty: number }
  | { sku?: string | null; name: string; unitPrice: Money; quantity: number };

export interface OrderInput {
  id: string;
  lines: readonly LineInput[];
  /** When the sale started; defaults to now for a new order, kept for an existing one. */
  createdAt?: string;
}

export class OrderStateError extends Error {
  constructor(
    readonly orderId: string,
    readonly status: LocalOrderStatus | null,
    message: string,
  ) {
    super(message);
    this.name = 'OrderStateError';
  }
}

export function toOrderLines(lines: readonly LineInput[]): OrderLine[] {
  return lines.map((l) => ({
    sku: l.sku ?? null,
    name: l.name,
    quantity: 'qty' in l ? l.qty : l.quantity,
    unitPrice: { value: l.unitPrice.value, currency: l.unitPrice.currency },
  }));
}

/** Integer minor units, one currency, never empty: the same rules the proxy applies to the upload. */
export function orderTotal(lines: readonly OrderLine[]): Money {
  if (lines.length === 0) throw new MoneyError('invalid_amount', 'An order needs at least one line.');
  const currency = lines[0].unitPrice.currency;
  let value = 0;
  for (const l of lines) {
    if (l.unitPrice.currency !== currency) throw new MoneyError('currency_mismatch', 'All lines of an order must be in one currency.');
    if (!Number.isSafeInteger(l.unitPrice.value) || l.unitPrice.value <= 0 || !Number.isInteger(l.quantity) || l.quantity < 1) {
      throw new MoneyError('invalid_amount', 'Line prices must be positive whole minor units and quantities whole numbers.');
    }
    value += l.unitPrice.value * l.quantity;
  }
  if (!Number.isSafeInteger(value)) throw new MoneyError('invalid_amount', 'Order total too large.');
  return { value, currency };
}

/** The upload body. `synced` never goes on the wire: it is the local note that the proxy has the paid order. */
export function toUpsert(r: OrderRecord): OrderUpsertRequest {
  return { id: r.id, lines: r.lines, total: r.total, createdAt: r.createdAt, status: r.status === 'synced' ? 'paid' : r.status };
}

/** 'paying' is transient (the payment decides what comes next), so it is not uploaded on its own. */
export function needsUpload(r: OrderRecord): boolean {
  return r.status !== 'synced' && r.status !== 'paying' && r.revision > r.syncedRevision && r.syncError?.revision !== r.revision;
}

const EDITABLE: readonly (LocalOrderStatus | null)[] = [null, 'open', 'queued', 'parked'];

function refuse(id: string, status: LocalOrderStatus | null, wanted: string): never {
  const why =
    status === 'paying'
      ? 'a payment for it is in progress'
      : status === 'paid' || status === 'synced'
        ? 'it is already paid'
        : status === null
          ? 'it does not exist on this tablet'
          : `it is ${status}`;
  throw new OrderStateError(id, status, `Order cannot be ${wanted}: ${why}.`);
}

/**
 * Applies `change` to the stored record inside one transaction. `from` lists the statuses the change is allowed
 * from (null = the order does not exist yet); anything else throws OrderStateError and writes nothing.
 */
async function mutate(
  id: string,
  from: readonly (LocalOrderStatus | null)[],
  wanted: string,
  change: (
    prev: OrderRecord | undefined,
    now: string,
  ) => Omit<OrderRecord, 'revision' | 'syncedRevision' | 'updatedAt'> & Partial<OrderRecord>,
  dbName: string,
): Promise<OrderRecord> {
  return withDb(async (db) => {
    const tx = db.transaction('orders', 'readwrite', { durability: 'strict' });
    const prev = await tx.store.get(id);
    if (!from.includes(prev?.status ?? null)) {
      tx.abort();
      await tx.done.catch(() => {});
      refuse(id, prev?.status ?? null, wanted);
    }
    const now = new Date().toISOString();
    const next: OrderRecord = {
      syncedRevision: prev?.syncedRevision ?? 0,
      ...change(prev, now),
      revision: (prev?.revision ?? 0) + 1,
      updatedAt: now,
    };
    await tx.store.put(next);
    await tx.done;
    return next;
  }, dbName);
}

/** Saves the order's lines with the given status (new order, or an edit of an unpaid one). */
export async function saveOrder(input: OrderInput, status: 'open' | 'queued' | 'parked', dbName = DB_NAME): Promise<OrderRecord> {
  const lines = toOrderLines(input.lines);
  const total = orderTotal(lines);
  return mutate(
    input.id,
    EDITABLE,
    status === 'open' ? 'saved' : status,
    (prev, now) => ({
      ...prev,
      id: input.id,
      lines,
      total,
      status,
      createdAt: prev?.createdAt ?? input.createdAt ?? now,
    }),
    dbName,
  );
}

export function setOrderStatus(
  id: string,
  to: LocalOrderStatus,
  from: readonly LocalOrderStatus[],
  patch: Partial<Pick<OrderRecord, 'paymentId'>> = {},
  dbName = DB_NAME,
): Promise<OrderRecord> {
  return mutate(id, from, to === 'open' ? 'reopened' : `marked ${to}`, (prev) => ({ ...prev!, ...patch, status: to }), dbName);
}

export function getOrder(id: string, dbName = DB_NAME): Promise<OrderRecord | undefined> {
  return withDb((db) => db.get('orders', id), dbName);
}

/** Orders with the given statuses (all when omitted), oldest sale first. */
export async function listOrders(statuses?: readonly LocalOrderStatus[], dbName = DB_NAME): Promise<OrderRecord[]> {
  const all = await withDb((db) => db.getAll('orders'), dbName);
  return all
    .filter((o) => !statuses || statuses.includes(o.status))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export async function countOrders(dbName = DB_NAME): Promise<QueueCounts> {
  const c: QueueCounts = { waiting: 0, queued: 0, parked: 0, open: 0, paying: 0, unsynced: 0, failed: 0 };
  for (const o of await withDb((db) => db.getAll('orders'), dbName)) {
    if (o.status === 'queued' || o.status === 'parked' || o.status === 'open' || o.status === 'paying') c[o.status]++;
    if (needsUpload(o)) c.unsynced++;
    if (o.syncError && o.syncError.revision === o.revision) c.failed++;
  }
  c.waiting = c.queued + c.parked + c.open;
  return c;
}

/**
 * Notes the proxy's answer for the revision that was sent. A local change made while the upload was in the air
 * has a higher revision and stays due for upload; a paid order whose paid revision was acknowledged is done.
 */
export function recordUpload(
  id: string,
  revision: number,
  outcome: { ok: true } | { ok: false; code: string; message: string; status: number },
  dbName = DB_NAME,
): Promise<OrderRecord | undefined> {
  return withDb(async (db) => {
    const tx = db.transaction('orders', 'readwrite', { durability: 'strict' });
    const rec = await tx.store.get(id);
    if (!rec) {
      await tx.done;
      return undefined;
    }
    const next: OrderRecord = { ...rec };
    if (outcome.ok) {
      next.syncedRevision = Math.max(rec.syncedRevision, revision);
      next.syncedAt = new Date().toISOString();
      delete next.syncError;
      if (rec.status === 'paid' && rec.revision === revision) next.status = 'synced';
    } else {
      next.syncError = { code: outcome.code, message: outcome.message, status: outcome.status, revision };
    }
    await tx.store.put(next);
    await tx.done;
    return next;
  }, dbName);
}

/** Drops uploaded paid orders older than `maxAgeMs` (default 7 days); nothing unpaid or unsynced is dropped. */
export async function pruneSynced(maxAgeMs = 7 * 86_400_000, dbName = DB_NAME): Promise<number> {
  const cutoff = new Date(Date.now() - maxAgeMs).toISOString();
  return withDb(async (db) => {
    const tx = db.transaction('orders', 'readwrite');
    let n = 0;
    for (let c = await tx.store.openCursor(); c; c = await c.continue()) {
      if (c.value.status === 'synced' && c.value.updatedAt < cutoff) {
        await c.delete();
        n++;
      }
    }
    await tx.done;
    return n;
  }, dbName);
}
