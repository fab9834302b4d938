// Which sales a staff action at a till may reach (issue 11, item 3). A till's own sales, as always; and, for a
// refund or a void, any sale of the same store — the store-scope history is where a supervisor finds a sale a
// customer brings back to another till. Reaching another till's sale takes a supervisor's say-so (the gate's
// role is raised to store_history's), whatever the action alone would need; another store's sale is never
// found, and is refused before any PIN is looked at (probing ids costs no PIN attempts and reveals nothing).
import type { Kysely } from 'kysely';
import type { StaffAction } from '../../src/shared/api.ts';
import { roleAtLeast } from '../staff/directory.ts';
import { minimumRole, type RoleAction } from '../staff/roles.ts';
import { getPayment, type Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import type { StaffRole } from '../store/staff.ts';
import type { TerminalRow } from '../store/terminals.ts';
import { ApiError } from './api-error.ts';
import { staffActions } from './attention.ts';

/** The actions a supervisor may take on another till's sale of the same store. */
export const STORE_WIDE_ACTIONS: readonly StaffAction[] = ['void', 'refund'];

export interface Reached {
  payment: Payment;
  /** The sale was taken at another till of this terminal's store. */
  otherTill: boolean;
}

/** The payment `id` as a store-wide staff action at `terminal` may see it, or 404. */
export async function reachPayment(db: Kysely<Database>, terminal: TerminalRow, id: string): Promise<Reached> {
  const p = await getPayment(db, id);
  if (p && p.terminalId === terminal.id) return { payment: p, otherTill: false };
  if (p && p.storeId !== null && p.storeId === terminal.store_id) return { payment: p, otherTill: true };
  throw new ApiError(404, 'not_found', 'No such payment.');
}

/** The role the gate must grant: the action's own, and at least store_history's for another till's sale. */
export function roleToReach(action: RoleAction, otherTill: boolean): StaffRole {
  const own = minimumRole(action);
  const store = minimumRole('store_history');
  return otherTill && !roleAtLeast(own, store) ? store : own;
}

/** What the sale detail offers the viewing till: everything for its own sale, refund/void for another's. */
export function actionsAt(terminalId: string, p: Payment): StaffAction[] {
  const all = staffActions(p.status);
  return p.terminalId === terminalId ? all : all.filter((a) => STORE_WIDE_ACTIONS.includes(a));
}
