// Order rows uploaded by kiosks (POST /api/orders). The primary key (terminal_id, id) is what makes the
// upload idempotent under concurrency: two tabs or two retries racing with the same client id can only
// ever produce one row, whatever the timing, because the database refuses the second insert.
// The table is declared here (not in schema.ts) and reached through Kysely's withTables, so the orders
// feature stays in its own files.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OrderLine, OrderStatus, OrderUpsertRequest, OrderView } from '../../src/shared/orders.ts';
import type { Database } from './schema.ts';

export interface OrdersTable {
  terminal_id: string;
  id: string;
  status: string;
  lines_json: string;
  /** Integer minor units (bigint: Postgres returns a string, converted with Number()). */
  total_value: number | string;
  currency: string;
  /** SHA-256 of the canonical request: same hash = same upload, replayed. */
  body_hash: string;
  client_created_at: string;
  received_at: string;
  updated_at: string;
}

type OrdersDb = Kysely<Database & { orders: OrdersTable }>;

function orders(db: Kysely<Database>): OrdersDb {
  return db.withTables<{ orders: OrdersTable }>();
}

/** Key order is fixed here so that a replay of the same order always hashes the same. */
export function orderBodyHash(o: OrderUpsertRequest): string {
  const canonical = JSON.stringify({
    id: o.id,
    status: o.status,
    createdAt: o.createdAt,
    total: { value: o.total.value, currency: o.total.currency },
    lines: o.lines.map((l) => ({
      sku: l.sku ?? null,
      name: l.name,
      quantity: l.quantity,
      unitPrice: { value: l.unitPrice.value, currency: l.unitPrice.currency },
    })),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export function toOrderView(r: OrdersTable): OrderView {
  return {
    id: r.id,
    status: r.status as OrderStatus,
    lines: JSON.parse(r.lines_json) as OrderLine[],
    total: { value: Number(r.total_value), currency: r.currency },
    createdAt: r.client_created_at,
    updatedAt: r.updated_at,
    receivedAt: r.received_at,
  };
}

function rowValues(o: OrderUpsertRequest, hash: string) {
  return {
    status: o.status,
    lines_json: JSON.stringify(o.lines),
    total_value: o.total.value,
    currency: o.total.currency,
    body_hash: hash,
    client_created_at: o.createdAt,
  };
}

/** Inserts unless (terminal, id) exists; true when this call created the row. */
export async function insertOrderIfAbsent(db: Kysely<Database>, terminalId: string, o: OrderUpsertRequest, hash: string): Promise<boolean> {
  const now = new Date().toISOString();
  const r = await orders(db)
    .insertInto('orders')
    .values({ terminal_id: terminalId, id: o.id, ...rowValues(o, hash), received_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['terminal_id', 'id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findOrder(db: Kysely<Database>, terminalId: string, id: string): Promise<OrdersTable | undefined> {
  return orders(db).selectFrom('orders').selectAll().where('terminal_id', '=', terminalId).where('id', '=', id).executeTakeFirst();
}

/** Compare-and-set on the body hash: a concurrent change in between makes this return false, never a lost update. */
export async function replaceOrder(
  db: Kysely<Database>,
  terminalId: string,
  o: OrderUpsertRequest,
  hash: string,
  expectedHash: string,
): Promise<boolean> {
  const r = await orders(db)
    .updateTable('orders')
    .set({ ...rowValues(o, hash), updated_at: new Date().toISOString() })
    .where('terminal_id', '=', terminalId)
    .where('id', '=', o.id)
    .where('body_hash', '=', expectedHash)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listOrders(
  db: Kysely<Database>,
  terminalId: string,
  statuses: readonly string[] | null,
  limit: number,
): Promise<OrdersTable[]> {
  let q = orders(db).selectFrom('orders').selectAll().where('terminal_id', '=', terminalId);
  if (statuses) q = q.where('status', 'in', statuses);
  return q.orderBy('updated_at', 'desc').orderBy('id', 'asc').limit(limit).execute();
}

export async function countOrders(db: Kysely<Database>, terminalId?: string): Promise<number> {
  let q = orders(db)
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (terminalId) q = q.where('terminal_id', '=', terminalId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}
