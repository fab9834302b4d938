// Row leases: which proxy instance works a payment (reconciler checks, cancels, a staff action's follow-up)
// or a refund (its follow-up resends) right now. A lease is an owner (the instance's random id) and an expiry;
// the owner renews the leases it holds every third of a lease period (payments/leases.ts), so a lease that
// runs out means its owner is gone (or stalled that long) and anyone may take the row. Every take is one
// conditional UPDATE — a compare-and-set the database decides — and due work is claimed in batches with
// `FOR UPDATE SKIP LOCKED` on Postgres, so instances polling at the same moment each get different rows instead
// of queueing on the same ones. On SQLite (one process, one connection) the same statements run inside a
// transaction that nothing else interleaves with. Timestamps are ISO-8601 UTC text, compared as strings.
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from './db.ts';
import { OPEN_REFUND_STATUSES } from './refunds.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type LeaseTable = 'payments' | 'refunds';

/** A row taken by a claim: its id, and whose lease ran out for it (null: it was free). */
export interface Claimed {
  id: string;
  previousOwner: string | null;
}

const OPEN_PAYMENT = ['created', 'pending', 'unknown'] as const;

/** Takes the payment for the reconciler: when nobody holds it, its lease ran out, or `owner` holds it with no
 *  call of its own under way. */
export async function takePaymentLease(db: Db, id: string, owner: string, now: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('payments')
    .set({ lease_owner: owner, lease_until: until, lease_call: null })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('lease_owner', 'is', null),
        eb('lease_until', '<', now),
        eb.and([eb('lease_owner', '=', owner), eb('lease_call', 'is', null)]),
      ]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks `owner`'s own provider call (`call`) under way, taking the payment from an idle holder if need be:
 *  refused while another call on it is under way and its lease is alive. */
export async function beginPaymentCall(db: Db, id: string, owner: string, call: string, now: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('payments')
    .set({ lease_owner: owner, lease_until: until, lease_call: call })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_call', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function endPaymentCall(db: Db, id: string, owner: string): Promise<void> {
  await db.updateTable('payments').set({ lease_call: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
}

export async function requestCancel(db: Db, id: string, now: string): Promise<void> {
  await db
    .updateTable('payments')
    .set({ cancel_requested_at: now })
    .where('id', '=', id)
    .where('cancel_requested_at', 'is', null)
    .execute();
}

/** Takes a refund for its follow-up: when nobody holds it or its lease ran out (or `owner` holds it already). */
export async function takeRefundLease(db: Db, id: string, owner: string, now: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('refunds')
    .set({ lease_owner: owner, lease_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Keeps `owner`'s leases on `ids` alive until `until`. Rows another instance took meanwhile are left alone. */
export async function renewLeases(db: Db, table: LeaseTable, owner: string, ids: readonly string[], until: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable(table as 'payments')
      .set({ lease_until: until })
      .where('lease_owner', '=', owner)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

/** Lets go of `owner`'s lease on one row (a newer holder's stays). */
export async function releaseLease(db: Db, table: LeaseTable, id: string, owner: string): Promise<void> {
  if (table === 'payments') {
    await db
      .updateTable('payments')
      .set({ lease_owner: null, lease_until: null, lease_call: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  } else {
    await db
      .updateTable('refunds')
      .set({ lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }
}

/** Every lease `owner` holds (graceful shutdown: the other instances may take the work at once). */
export async function releaseAllLeases(db: Db, owner: string): Promise<void> {
  await db
    .updateTable('payments')
    .set({ lease_owner: null, lease_until: null, lease_call: null })
    .where('lease_owner', '=', owner)
    .execute();
  await db.updateTable('refunds').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).execute();
}

/** Every lease held by another owner (SQLite at boot: one process uses the file, so they are a dead one's). */
export async function releaseForeignLeases(db: Db, owner: string): Promise<void> {
  await db
    .updateTable('payments')
    .set({ lease_owner: null, lease_until: null, lease_call: null })
    .where('lease_owner', '!=', owner)
    .execute();
  await db.updateTable('refunds').set({ lease_owner: null, lease_until: null }).where('lease_owner', '!=', owner).execute();
}

export interface DueQuery {
  now: string;
  /** Expired payments created since then are still re-checked for a late capture. */
  expiredSince: string;
  limit: number;
}

/** Claims payments that need a worker and have none: open (or recently expired) ones whose next check is due
 *  and that nobody holds, those whose holder's lease ran out, and those a staff action still holds although
 *  nobody holds the payment (its proxy died, or stopped, before it knew the outcome). */
export async function claimDuePayments(
  db: Kysely<Database>,
  dialect: Dialect,
  owner: string,
  q: DueQuery,
  until: string,
): Promise<Claimed[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('payments')
      .select(['id', 'lease_owner'])
      .where((eb) => {
        const free = eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', q.now)]);
        const watchable = eb.or([
          eb('status', 'in', [...OPEN_PAYMENT]),
          eb.and([eb('status', '=', 'expired'), eb('created_at', '>=', q.expiredSince)]),
        ]);
        const due = eb.or([eb('next_check_at', 'is', null), eb('next_check_at', '<=', q.now), eb('lease_owner', 'is not', null)]);
        // A staff action's call and its follow-up hold the lease: a claim on a payment nobody holds is an orphan.
        const staleAction = eb('action_claim', 'is not', null);
        return eb.and([free, eb.or([eb.and([watchable, due]), staleAction])]);
      })
      .orderBy('next_check_at')
      .limit(q.limit)
      .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked())
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('payments')
      .set({ lease_owner: owner, lease_until: until, lease_call: null })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => ({ id: r.id, previousOwner: r.lease_owner }));
  });
}

/** Claims refunds without a verdict that nobody is following up (free, or their holder's lease ran out). */
export async function claimOpenRefunds(
  db: Kysely<Database>,
  dialect: Dialect,
  owner: string,
  now: string,
  until: string,
  limit: number,
): Promise<Claimed[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('refunds')
      .select(['id', 'lease_owner'])
      .where('status', 'in', [...OPEN_REFUND_STATUSES])
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('created_at')
      .limit(limit)
      .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked())
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('refunds')
      .set({ lease_owner: owner, lease_until: until })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => ({ id: r.id, previousOwner: r.lease_owner }));
  });
}
