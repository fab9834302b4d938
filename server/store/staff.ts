// Staff members added with `npm run staff` or by a manager on the kiosk (PINs stored only as scrypt hashes).
// Env-configured PINs (SUPERVISOR_PIN, CASHIER_PIN, MANAGER_PIN) never reach this table: staff/directory.ts
// hashes them in memory.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, StaffTable } from './schema.ts';

/** Lowest to highest: each role may do everything the roles before it may (server/staff/roles.ts). */
export const STAFF_ROLES = ['cashier', 'supervisor', 'manager'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type StaffRow = StaffTable;

export function isStaffRole(v: unknown): v is StaffRole {
  return typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v);
}

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

/** Everyone, disabled members too (they stay named in the audit log and on their sales). */
export async function listAllStaff(db: Kysely<Database>): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().orderBy('created_at', 'asc').execute();
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

export async function setStaffRole(db: Kysely<Database>, id: string, role: StaffRole): Promise<boolean> {
  const r = await db.updateTable('staff').set({ role }).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setStaffPinHash(db: Kysely<Database>, id: string, pinHash: string): Promise<boolean> {
  const r = await db
    .updateTable('staff')
    .set({ pin_hash: pinHash })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
