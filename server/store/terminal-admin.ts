// Terminal management (a manager's view of the store's tablets): list with last seen time, rename; and the
// last-seen bookkeeping behind it. Revoking is store/terminals.ts revokeTerminal.
import type { Kysely } from 'kysely';
import type { Database, TerminalsTable } from './schema.ts';

export type TerminalListRow = Omit<TerminalsTable, 'token_hash' | 'self_checkout'>;

export async function listStoreTerminals(db: Kysely<Database>, storeId: string): Promise<TerminalListRow[]> {
  return db
    .selectFrom('terminals')
    .select(['id', 'store_id', 'name', 'created_at', 'revoked_at', 'last_seen_at'])
    .where('store_id', '=', storeId)
    .orderBy('created_at', 'asc')
    .execute();
}

export async function getStoreTerminal(db: Kysely<Database>, storeId: string, id: string): Promise<TerminalListRow | undefined> {
  return db
    .selectFrom('terminals')
    .select(['id', 'store_id', 'name', 'created_at', 'revoked_at', 'last_seen_at'])
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function renameTerminal(db: Kysely<Database>, id: string, name: string): Promise<boolean> {
  const r = await db.updateTable('terminals').set({ name }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a call from the terminal, unless one was recorded after `notBefore` (so busy tablets write rarely,
 *  and several proxies on one database do not each write). */
export async function markTerminalSeen(db: Kysely<Database>, id: string, now: string, notBefore: string): Promise<void> {
  await db
    .updateTable('terminals')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', notBefore)]))
    .execute();
}
