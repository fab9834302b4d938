// Payment rows. Status columns are written only by payments/transition.ts (the one write path); this module
// inserts new attempts, reads, and keeps the reconciler's bookkeeping (next_check_at). The needs_attention
// flag is a visible change and goes through transition.ts too (it appends an event and is pushed over SSE).
import type { Kysely, Transaction } from 'kysely';
import type { Money } from '../../src/shared/money.ts';
import type { PaymentMode, PaymentStatus, ProviderName, Vendor } from '../../src/shared/payment.ts';
import type { ActionClaim, ActionKind } from './action-claims.ts';
import type { Database, PaymentsTable } from './schema.ts';

export interface Payment {
  id: string;
  terminalId: string;
  orderId: string;
  idempotencyKey: string;
  requestHash: string;
  status: PaymentStatus;
  mode: PaymentMode;
  provider: ProviderName;
  vendor: Vendor | null;
  amount: Money;
  refunded: Money;
  reference: string;
  providerRef: string | null;
  codeMasked: string | null;
  qr: { payload: string; expiresAt: string; shortCode?: string } | null;
  failure: { code: string; message: string } | null;
  needsAttention: boolean;
  attentionReason: string | null;
  attentionAt: string | null;
  late: boolean;
  nextCheckAt: string | null;
  /** A kiosk read it through some instance: watched until then (payments/shared-watch.ts). */
  watchedUntil?: string | null;
  /** A money-moving staff action holds this payment (store/action-claims.ts). */
  claim: ActionClaim | null;
  /** Who took the sale (the staff member signed in at the tablet), null when nobody was. */
  staffId: string | null;
  /** The instance working the payment (store/leases.ts), and its provider call under way if any. */
  lease: { owner: string; until: string; call: string | null } | null;
  /** A cashier's cancel is waiting for the charge's answer; whoever works the payment sends it. */
  cancelRequested: boolean;
  createdAt: string;
  updatedAt: string;
  /** The store it was taken for and that store's business day then (null only on rows older than 0010). */
  storeId: string | null;
  businessDay: string | null;
  /** YYYYMMDD-NNNN and the e-receipt token, both given when it first succeeds (payments/receipts.ts). */
  receiptNo: string | null;
  receiptToken: string | null;
}

type Db = Kysely<Database> | Transaction<Database>;

export function toPayment(r: PaymentsTable): Payment {
  return {
    id: r.id,
    terminalId: r.terminal_id,
    orderId: r.order_id,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    status: r.status as PaymentStatus,
    mode: r.mode as PaymentMode,
    provider: r.provider as ProviderName,
    vendor: r.vendor as Vendor | null,
    amount: { value: Number(r.amount_value), currency: r.currency },
    refunded: { value: Number(r.refunded_value), currency: r.currency },
    reference: r.reference,
    providerRef: r.provider_ref,
    codeMasked: r.code_masked,
    qr: r.qr_payload
      ? { payload: r.qr_payload, expiresAt: r.qr_expires_at ?? '', ...(r.qr_short_code ? { shortCode: r.qr_short_code } : {}) }
      : null,
    failure: r.failure_code ? { code: r.failure_code, message: r.failure_message ?? '' } : null,
    needsAttention: Number(r.needs_attention) === 1,
    attentionReason: r.attention_reason ?? null,
    attentionAt: r.attention_at ?? null,
    late: Number(r.late) === 1,
    nextCheckAt: r.next_check_at,
    watchedUntil: r.watched_until ?? null,
    claim: r.action_claim ? { id: r.action_claim, kind: r.action_kind as ActionKind, since: r.action_since ?? r.updated_at } : null,
    staffId: r.staff_id ?? null,
    lease: r.lease_owner ? { owner: r.lease_owner, until: r.lease_until ?? '', call: r.lease_call ?? null } : null,
    cancelRequested: r.cancel_requested_at !== null && r.cancel_requested_at !== undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    storeId: r.store_id ?? null,
    businessDay: r.business_day ?? null,
    receiptNo: r.receipt_no ?? null,
    receiptToken: r.receipt_token ?? null,
  };
}

export interface NewPayment {
  id: string;
  terminalId: string;
  orderId: string;
  idempotencyKey: string;
  requestHash: string;
  mode: PaymentMode;
  provider: ProviderName;
  vendor: Vendor | null;
  amount: Money;
  reference: string;
  codeMasked: string | null;
  staffId?: string | null;
  now: string;
  /** The terminal's store now, and its business day (default: read from the terminal; the UTC date). */
  storeId?: string;
  businessDay?: string;
  /** The creating instance holds the payment while its charge call is out (store/leases.ts). */
  lease?: { owner: string; until: string; call: string };
}

export async function insertPayment(db: Db, p: NewPayment): Promise<void> {
  const storeId =
    p.storeId ?? (await db.selectFrom('terminals').select('store_id').where('id', '=', p.terminalId).executeTakeFirst())?.store_id ?? null;
  await db
    .insertInto('payments')
    .values({
      id: p.id,
      terminal_id: p.terminalId,
      order_id: p.orderId,
      idempotency_key: p.idempotencyKey,
      request_hash: p.requestHash,
      status: 'created',
      mode: p.mode,
      provider: p.provider,
      vendor: p.vendor,
      amount_value: p.amount.value,
      currency: p.amount.currency,
      refunded_value: 0,
      reference: p.reference,
      provider_ref: null,
      code_masked: p.codeMasked,
      qr_payload: null,
      qr_expires_at: null,
      qr_short_code: null,
      failure_code: null,
      failure_message: null,
      needs_attention: 0,
      attention_reason: null,
      attention_at: null,
      late: 0,
      next_check_at: null,
      staff_id: p.staffId ?? null,
      lease_owner: p.lease?.owner ?? null,
      lease_until: p.lease?.until ?? null,
      lease_call: p.lease?.call ?? null,
      created_at: p.now,
      updated_at: p.now,
      store_id: storeId,
      business_day: p.businessDay ?? p.now.slice(0, 10),
      code_last4: p.codeMasked ? p.codeMasked.slice(-4) : null,
      receipt_no: null,
      receipt_token: null,
    })
    .execute();
}

/** Takes the payment row's write lock for the rest of the transaction (a write that changes nothing): on
 *  Postgres the row lock, on SQLite the database write lock. Anything that derives a payment's totals from
 *  its child rows takes it first, so two such transactions run one after the other and the second sees
 *  the first's rows — under READ COMMITTED two settling refunds would otherwise each sum only their own. */
export async function lockPayment(db: Db, id: string): Promise<void> {
  await db
    .updateTable('payments')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', id)
    .execute();
}

export async function getPayment(db: Db, id: string): Promise<Payment | undefined> {
  const r = await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toPayment(r) : undefined;
}

export async function getTerminalPayment(db: Db, terminalId: string, id: string): Promise<Payment | undefined> {
  const r = await db.selectFrom('payments').selectAll().where('id', '=', id).where('terminal_id', '=', terminalId).executeTakeFirst();
  return r ? toPayment(r) : undefined;
}

export async function findByIdempotencyKey(db: Db, terminalId: string, key: string): Promise<Payment | undefined> {
  const r = await db
    .selectFrom('payments')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return r ? toPayment(r) : undefined;
}

export async function listOrderPayments(db: Db, terminalId: string, orderId: string): Promise<Payment[]> {
  const rows = await db
    .selectFrom('payments')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toPayment);
}

/** Payments the reconciler must watch: everything that has not reached a provider verdict yet, plus
 *  `expired` ones created after `expiredSince` (a late payment can still land on those). */
export async function listUnsettled(db: Db, expiredSince?: string): Promise<Payment[]> {
  const rows = await db
    .selectFrom('payments')
    .selectAll()
    .where((eb) => {
      const open = eb('status', 'in', ['created', 'pending', 'unknown']);
      return expiredSince === undefined
        ? open
        : eb.or([open, eb.and([eb('status', '=', 'expired'), eb('created_at', '>=', expiredSince)])]);
    })
    .execute();
  return rows.map(toPayment);
}

/** A provider notification names the provider's transaction id, and usually echoes our reference too. */
export async function findByProviderRef(db: Db, provider: string, providerRef: string): Promise<Payment | undefined> {
  const r = await db
    .selectFrom('payments')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_ref', '=', providerRef)
    .executeTakeFirst();
  return r ? toPayment(r) : undefined;
}

export async function findByReference(db: Db, provider: string, reference: string): Promise<Payment | undefined> {
  const r = await db
    .selectFrom('payments')
    .selectAll()
    .where('provider', '=', provider)
    .where('reference', '=', reference)
    .executeTakeFirst();
  return r ? toPayment(r) : undefined;
}

/** The "Needs attention" list of one terminal, oldest flag first. */
export async function listNeedingAttention(db: Db, terminalId: string): Promise<Payment[]> {
  const rows = await db
    .selectFrom('payments')
    .selectAll()
    .where('terminal_id', '=', terminalId)
    .where('needs_attention', '=', 1)
    .orderBy('attention_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toPayment);
}

export async function setNextCheck(db: Db, id: string, at: string | null): Promise<void> {
  await db.updateTable('payments').set({ next_check_at: at }).where('id', '=', id).execute();
}

export async function countPayments(db: Db): Promise<number> {
  const r = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
