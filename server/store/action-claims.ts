// Who may move money on a payment right now. An action that can move money — a void, or a cancel (which gives
// the money back if the customer paid just before it lands: payments/cancels.ts) — first takes the payment: a
// compare-and-set on the payment row inside the caller's transaction. Two actions — in one process or in
// several proxies on one database — cannot both take it, and what the action checked in that transaction (the
// status, that no refund is open) cannot change under it while it holds the claim: refunds refuse to start on
// a claimed payment (payments/refunds.ts). The claim is let go once the provider has given a verdict; a claim
// whose outcome is uncertain stays in the row, which is how the next proxy finds it to re-check.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { PaymentStatus } from '../../src/shared/payment.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type ActionKind = 'void' | 'cancel';

export interface ActionClaim {
  id: string;
  kind: ActionKind;
  /** When it was taken: how long its provider call may still be on its way. */
  since: string;
}

/** Takes the payment for `kind` if nobody holds it and it is still `status` (or one of them); null otherwise.
 *  On Postgres the update also locks the row until the caller's transaction ends; SQLite takes its write lock. */
export async function takeClaim(
  trx: Transaction<Database>,
  paymentId: string,
  kind: ActionKind,
  status: PaymentStatus | readonly PaymentStatus[],
): Promise<ActionClaim | null> {
  const statuses: readonly PaymentStatus[] = typeof status === 'string' ? [status] : status;
  const claim: ActionClaim = { id: randomUUID(), kind, since: new Date().toISOString() };
  const r = await trx
    .updateTable('payments')
    .set({ action_claim: claim.id, action_kind: kind, action_since: claim.since })
    .where('id', '=', paymentId)
    .where('status', 'in', statuses)
    .where('action_claim', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? claim : null;
}

/** Lets go of `claim` (only that one: a newer claim by someone else stays). */
export async function releaseClaim(db: Db, paymentId: string, claim: ActionClaim): Promise<boolean> {
  const r = await db
    .updateTable('payments')
    .set({ action_claim: null, action_kind: null, action_since: null })
    .where('id', '=', paymentId)
    .where('action_claim', '=', claim.id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Payments held by an action of `kind`: after a restart, the actions whose outcome nobody recorded. */
export async function listClaimed(db: Db, kind: ActionKind): Promise<string[]> {
  const rows = await db.selectFrom('payments').select('id').where('action_kind', '=', kind).execute();
  return rows.map((r) => r.id);
}
