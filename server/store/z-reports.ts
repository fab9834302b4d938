// z_reports: one closed business day per scope (a terminal or a store). Rows are only inserted; the unique
// (scope, scope_key, business_date) index makes closing twice return the first Z.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, ZReportsTable } from './schema.ts';

export interface ZReport {
  id: string;
  scope: 'terminal' | 'store';
  scopeKey: string;
  storeId: string;
  businessDate: string;
  number: number;
  windowStart: string;
  windowEnd: string;
  totals: unknown;
  closedBy: { staffId: string | null; name: string | null; terminalId: string };
  closedAt: string;
}

function toZ(r: ZReportsTable): ZReport {
  return {
    id: r.id,
    scope: r.scope as ZReport['scope'],
    scopeKey: r.scope_key,
    storeId: r.store_id,
    businessDate: r.business_date,
    number: Number(r.number),
    windowStart: r.window_start,
    windowEnd: r.window_end,
    totals: JSON.parse(r.totals),
    closedBy: { staffId: r.closed_by_staff_id, name: r.closed_by_name, terminalId: r.closed_by_terminal_id },
    closedAt: r.closed_at,
  };
}

export async function findZ(db: Kysely<Database>, scope: string, scopeKey: string, date: string): Promise<ZReport | undefined> {
  const r = await db
    .selectFrom('z_reports')
    .selectAll()
    .where('scope', '=', scope)
    .where('scope_key', '=', scopeKey)
    .where('business_date', '=', date)
    .executeTakeFirst();
  return r ? toZ(r) : undefined;
}

export type NewZ = Omit<ZReport, 'id' | 'number'>;

/** Records the Z, or returns the one already recorded for that scope and day (a concurrent close included). */
export async function recordZ(db: Kysely<Database>, z: NewZ): Promise<{ z: ZReport; created: boolean }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await findZ(db, z.scope, z.scopeKey, z.businessDate);
    if (existing) return { z: existing, created: false };
    const last = await db
      .selectFrom('z_reports')
      .select((eb) => eb.fn.max('number').as('n'))
      .where('scope', '=', z.scope)
      .where('scope_key', '=', z.scopeKey)
      .executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
    const id = randomUUID();
    try {
      await db
        .insertInto('z_reports')
        .values({
          id,
          scope: z.scope,
          scope_key: z.scopeKey,
          store_id: z.storeId,
          business_date: z.businessDate,
          number,
          window_start: z.windowStart,
          window_end: z.windowEnd,
          totals: JSON.stringify(z.totals),
          closed_by_staff_id: z.closedBy.staffId,
          closed_by_name: z.closedBy.name,
          closed_by_terminal_id: z.closedBy.terminalId,
          closed_at: z.closedAt,
        })
        .execute();
      return { z: { ...z, id, number }, created: true };
    } catch {
      // Another close won the day or the number: read again (unique indexes decide, never two Zs).
    }
  }
  throw new Error(`could not record the Z of ${z.scope} ${z.scopeKey} ${z.businessDate}`);
}
