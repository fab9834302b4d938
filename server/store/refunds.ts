// Refund rows: children of a payment, each with its own status. Written here on creation; status changes go
// through payments/refunds.ts settleRefund, which updates the row and the payment's refunded total in one
// transaction (the payment side through the one write path).
import type { Kysely, Transaction } from 'kysely';
import type { Money } from '../../src/shared/money.ts';
import type { Database, RefundsTable } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type RefundStatus = 'created' | 'pending' | 'unknown' | 'succeeded' | 'failed';
/** No provider verdict yet: the refund may still move money, so it counts against what is left to refund. */
export const OPEN_REFUND_STATUSES: readonly RefundStatus[] = ['created', 'pending', 'unknown'];

export interface Refund {
  id: string;
  paymentId: string;
  terminalId: string;
  idempotencyKey: string;
  requestHash: string;
  refundReference: string;
  amount: Money;
  status: RefundStatus;
  providerRef: string | null;
  failure: { code: string; message: string } | null;
  staffId: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toRefund(r: RefundsTable): Refund {
  return {
    id: r.id,
    paymentId: r.payment_id,
    terminalId: r.terminal_id,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    refundReference: r.refund_reference,
    amount: { value: Number(r.amount_value), currency: r.currency },
    status: r.status as RefundStatus,
    providerRef: r.provider_ref,
    failure: r.failure_code ? { code: r.failure_code, message: r.failure_message ?? '' } : null,
    staffId: r.staff_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function insertRefund(db: Db, r: Omit<Refund, 'status' | 'providerRef' | 'failure' | 'updatedAt'>): Promise<void> {
  await db
    .insertInto('refunds')
    .values({
      id: r.id,
      payment_id: r.paymentId,
      terminal_id: r.terminalId,
      idempotency_key: r.idempotencyKey,
      request_hash: r.requestHash,
      refund_reference: r.refundReference,
      amount_value: r.amount.value,
      currency: r.amount.currency,
      status: 'created',
      provider_ref: null,
      failure_code: null,
      failure_message: null,
      staff_id: r.staffId,
      created_at: r.createdAt,
      updated_at: r.createdAt,
    })
    .execute();
}

export async function getRefund(db: Db, id: string): Promise<Refund | undefined> {
  const r = await db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRefund(r) : undefined;
}

export async function findRefundByKey(db: Db, paymentId: string, key: string): Promise<Refund | undefined> {
  const r = await db
    .selectFrom('refunds')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return r ? toRefund(r) : undefined;
}

export async function listPaymentRefunds(db: Db, paymentId: string): Promise<Refund[]> {
  const rows = await db
    .selectFrom('refunds')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toRefund);
}

export async function listOpenRefunds(db: Db): Promise<Refund[]> {
  const rows = await db
    .selectFrom('refunds')
    .selectAll()
    .where('status', 'in', [...OPEN_REFUND_STATUSES])
    .execute();
  return rows.map(toRefund);
}

/** Sum of refunds in the given statuses (minor units). */
export async function sumRefunds(db: Db, paymentId: string, statuses: readonly RefundStatus[]): Promise<number> {
  const row = await db
    .selectFrom('refunds')
    .select((eb) => eb.fn.sum<number | string | null>('amount_value').as('total'))
    .where('payment_id', '=', paymentId)
    .where('status', 'in', [...statuses])
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** Compare-and-set on the refund's status. */
export async function casRefund(
  db: Db,
  id: string,
  from: RefundStatus,
  to: { status: RefundStatus; providerRef?: string | null; failure?: { code: string; message: string } | null; now: string },
): Promise<boolean> {
  const r = await db
    .updateTable('refunds')
    .set({
      status: to.status,
      updated_at: to.now,
      ...(to.providerRef ? { provider_ref: to.providerRef } : {}),
      ...(to.failure ? { failure_code: to.failure.code, failure_message: to.failure.message } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
