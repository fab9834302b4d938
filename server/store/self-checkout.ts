// A terminal's self-checkout mode and the store's "Call staff" requests (migration 0015).
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { StaffCallView } from '../../src/shared/self-checkout-api.ts';
import type { Database, StaffCallsTable } from './schema.ts';

export type StaffCallRow = Selectable<StaffCallsTable>;

export const toStaffCallView = (r: StaffCallRow): StaffCallView => ({
  id: r.id,
  terminalId: r.terminal_id,
  terminalName: r.terminal_name,
  createdAt: r.created_at,
  answeredAt: r.answered_at,
});

export async function getStaffCall(db: Kysely<Database>, id: string): Promise<StaffCallRow | undefined> {
  return db.selectFrom('staff_calls').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setSelfCheckout(db: Kysely<Database>, terminalId: string, on: boolean): Promise<boolean> {
  const r = await db
    .updateTable('terminals')
    .set({ self_checkout: on ? 1 : 0 })
    .where('id', '=', terminalId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The terminal's open call if it has one (a customer tapping twice raises one alert), else a new one. */
export async function raiseStaffCall(
  db: Kysely<Database>,
  terminal: { id: string; store_id: string; name: string },
): Promise<{ call: StaffCallRow; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const open = await trx
      .selectFrom('staff_calls')
      .selectAll()
      .where('terminal_id', '=', terminal.id)
      .where('answered_at', 'is', null)
      .executeTakeFirst();
    if (open) return { call: open, created: false };
    const call: StaffCallRow = {
      id: `call_${randomUUID()}`,
      store_id: terminal.store_id,
      terminal_id: terminal.id,
      terminal_name: terminal.name,
      created_at: new Date().toISOString(),
      answered_at: null,
      answered_by: null,
    };
    await trx.insertInto('staff_calls').values(call).execute();
    return { call, created: true };
  });
}

export async function openStaffCalls(db: Kysely<Database>, storeId: string): Promise<StaffCallRow[]> {
  return db
    .selectFrom('staff_calls')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('answered_at', 'is', null)
    .orderBy('created_at', 'asc')
    .limit(100)
    .execute();
}

/** Marks the store's call answered; null when there is no such open call in that store. */
export async function answerStaffCall(db: Kysely<Database>, storeId: string, id: string, byTerminal: string): Promise<StaffCallRow | null> {
  const answeredAt = new Date().toISOString();
  const r = await db
    .updateTable('staff_calls')
    .set({ answered_at: answeredAt, answered_by: byTerminal })
    .where('id', '=', id)
    .where('store_id', '=', storeId)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return null;
  return (await getStaffCall(db, id)) ?? null;
}
