// Terminals (paired kiosks) and their one-time pairing codes.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, TerminalsTable } from './schema.ts';
import { newPairingCode, newTerminalToken, normalisePairingCode, sha256Hex } from './secrets.ts';

export type TerminalRow = Selectable<TerminalsTable>;

export async function createPairingCode(
  db: Kysely<Database>,
  storeId: string,
  ttlMs: number,
): Promise<{ code: string; expiresAt: string }> {
  const code = newPairingCode();
  const now = Date.now();
  const expiresAt = new Date(now + ttlMs).toISOString();
  await db
    .insertInto('pairing_codes')
    .values({
      code_hash: sha256Hex(code),
      store_id: storeId,
      expires_at: expiresAt,
      used_at: null,
      created_at: new Date(now).toISOString(),
    })
    .execute();
  return { code, expiresAt };
}

export type PairResult =
  { ok: true; terminalId: string; token: string; storeId: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Spends a pairing code and creates a terminal, atomically: a code pairs exactly one tablet. */
export async function pairTerminal(db: Kysely<Database>, rawCode: string, name = 'Kiosk'): Promise<PairResult> {
  const codeHash = sha256Hex(normalisePairingCode(rawCode));
  return db.transaction().execute(async (trx): Promise<PairResult> => {
    const row = await trx.selectFrom('pairing_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.used_at) return { ok: false, reason: 'used' };
    const now = new Date();
    if (Date.parse(row.expires_at) <= now.getTime()) return { ok: false, reason: 'expired' };
    const spent = await trx
      .updateTable('pairing_codes')
      .set({ used_at: now.toISOString() })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return { ok: false, reason: 'used' };
    const token = newTerminalToken();
    const terminalId = `term_${randomUUID()}`;
    await trx
      .insertInto('terminals')
      .values({
        id: terminalId,
        store_id: row.store_id,
        name,
        token_hash: sha256Hex(token),
        created_at: now.toISOString(),
        revoked_at: null,
        last_seen_at: null,
      })
      .execute();
    return { ok: true, terminalId, token, storeId: row.store_id };
  });
}

export async function findTerminalByToken(db: Kysely<Database>, token: string): Promise<TerminalRow | undefined> {
  return db
    .selectFrom('terminals')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeTerminal(db: Kysely<Database>, terminalId: string): Promise<boolean> {
  const r = await db
    .updateTable('terminals')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', terminalId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type SwitchResult = 'switched' | 'open_payment' | 'not_found';

/** Moves a terminal to another store, unless it has a payment still open: that payment's currency and
 *  routing belong to the old store. One statement, so a payment created concurrently cannot slip between
 *  the check and the move. */
export async function switchTerminalStore(db: Kysely<Database>, terminalId: string, storeId: string): Promise<SwitchResult> {
  const r = await db
    .updateTable('terminals')
    .set({ store_id: storeId })
    .where('id', '=', terminalId)
    .where('revoked_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('payments')
            .select('payments.id')
            .where('payments.terminal_id', '=', terminalId)
            .where('payments.status', 'in', ['created', 'pending', 'unknown']),
        ),
      ),
    )
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return 'switched';
  const exists = await db
    .selectFrom('terminals')
    .select('id')
    .where('id', '=', terminalId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return exists ? 'open_payment' : 'not_found';
}
