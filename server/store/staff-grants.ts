// staff_grants: short-lived read-only grants bought with a staff PIN at one terminal (staff/grants.ts).
import type { Kysely } from 'kysely';
import type { Database, StaffGrantsTable } from './schema.ts';

export type StaffGrantRow = StaffGrantsTable;

/** Records a grant, clearing every expired one on the way (they are only ever a few per tablet). */
export async function insertStaffGrant(db: Kysely<Database>, row: StaffGrantRow): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('staff_grants').where('expires_at', '<=', row.created_at).execute();
    await trx.insertInto('staff_grants').values(row).execute();
  });
}

/** The grant with this token hash, if it was given to `terminalId` and has not expired at `now`. */
export async function findStaffGrant(
  db: Kysely<Database>,
  tokenHash: string,
  terminalId: string,
  now: string,
): Promise<StaffGrantRow | undefined> {
  return db
    .selectFrom('staff_grants')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('terminal_id', '=', terminalId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Ends every grant a staff member gave (disabled, or their role changed). */
export async function deleteStaffGrantsOf(db: Kysely<Database>, staffId: string): Promise<number> {
  const r = await db.deleteFrom('staff_grants').where('staff_id', '=', staffId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
