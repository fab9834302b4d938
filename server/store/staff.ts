// Staff members added with `npx tsx server/cli/staff.ts` (PINs stored only as scrypt hashes). Env-configured
// PINs (SUPERVISOR_PIN, CASHIER_PIN) never reach this table: staff/directory.ts hashes them in memory.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, StaffTable } from './schema.ts';

export type StaffRole = 'cashier' | 'supervisor';
export const STAFF_ROLES: readonly StaffRole[] = ['cashier', 'supervisor'];

export type StaffRow = StaffTable;

export async function insertStaff(db: Kysely<Database>, s: { name: string; role: StaffRole; pinHash: string }): Promise<StaffRow> {
  const row: StaffRow = {
    id: `staff_${randomUUID()}`,
    name: s.name,
    role: s.role,
    pin_hash: s.pinHash,
    created_at: new Date().toISOString(),
    disabled_at: null,
  };
  await db.insertInto('staff').values(row).execute();
  return row;
}

export async function listActiveStaff(db: Kysely<Database>): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().where('disabled_at', 'is', null).orderBy('created_at', 'asc').execute();
}

export async function disableStaff(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db
    .updateTable('staff')
    .set({ disabled_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
