// staff_sessions: who is signed in at each terminal (one row per terminal; staff/sessions.ts decides expiry).
import type { Kysely } from 'kysely';
import type { Database, StaffSessionsTable } from './schema.ts';

export type StaffSessionRow = StaffSessionsTable;

export async function getStaffSession(db: Kysely<Database>, terminalId: string): Promise<StaffSessionRow | undefined> {
  return db.selectFrom('staff_sessions').selectAll().where('terminal_id', '=', terminalId).executeTakeFirst();
}

/** Signs `row.staff_id` in at the terminal, replacing whoever was signed in there. */
export async function putStaffSession(db: Kysely<Database>, row: StaffSessionRow): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('staff_sessions').where('terminal_id', '=', row.terminal_id).execute();
    await trx.insertInto('staff_sessions').values(row).execute();
  });
}

/** Ends the terminal's session; with `lastActiveAt`, only if nobody touched it since (an idle expiry must not
 *  end a session that was just renewed or replaced). */
export async function deleteStaffSession(db: Kysely<Database>, terminalId: string, lastActiveAt?: string): Promise<boolean> {
  let q = db.deleteFrom('staff_sessions').where('terminal_id', '=', terminalId);
  if (lastActiveAt !== undefined) q = q.where('last_active_at', '=', lastActiveAt);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Signs a staff member out everywhere (disabled, or their role changed). */
export async function deleteStaffSessionsOf(db: Kysely<Database>, staffId: string): Promise<number> {
  const r = await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Marks activity, but never revives a session already idle past `cutoff`. */
export async function touchStaffSession(db: Kysely<Database>, terminalId: string, now: string, cutoff: string): Promise<boolean> {
  const r = await db
    .updateTable('staff_sessions')
    .set({ last_active_at: now })
    .where('terminal_id', '=', terminalId)
    .where('last_active_at', '>', cutoff)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
