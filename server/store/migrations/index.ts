// Schema migrations as in-code objects (no files to ship or find at runtime), one file each, named in the order
// they run. Portable SQL only; the one dialect branch is the auto-increment id. Migrations see no table types
// (Kysely<unknown>): each must keep meaning the same once the schema moves on.
import { inspect } from 'node:util';
import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../db.ts';
import type { Database } from '../schema.ts';
import { migration as m0001 } from './0001_init.ts';
import { migration as m0002 } from './0002_webhooks_attention.ts';
import { migration as m0003 } from './0003_orders.ts';
import { migration as m0004 } from './0004_qr_short_code.ts';
import { migration as m0005 } from './0005_staff_refunds_audit.ts';
import { migration as m0006 } from './0006_pin_throttle.ts';
import { migration as m0007 } from './0007_action_claims.ts';
import { migration as m0008 } from './0008_mask_payment_codes.ts';
import { migration as m0009 } from './0009_leases.ts';
import { migration as m0010 } from './0010_history_receipts.ts';
import { migration as m0011 } from './0011_day_close.ts';
import { migration as m0012 } from './0012_staff_sessions_terminals.ts';
import { migration as m0013 } from './0013_pin_reservations.ts';
import { migration as m0014 } from './0014_report_groups.ts';
import { migration as m0015 } from './0015_self_checkout.ts';
import { migration as m0016 } from './0016_history_report_indexes.ts';
import { migration as m0017 } from './0017_staff_grants_day_groups.ts';
import { migration as m0019 } from './0019_provider_budgets.ts';
import { migration as m0020 } from './0020_shared_watch.ts';
import { migration as m0021 } from './0021_report_running_totals.ts';
import { migration as m0022 } from './0022_staff_grant_scope.ts';
import { migration as m0023 } from './0023_budget_turns.ts';

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_init': m0001(dialect),
    '0002_webhooks_attention': m0002(dialect),
    '0003_orders': m0003(),
    '0004_qr_short_code': m0004(),
    '0005_staff_refunds_audit': m0005(dialect),
    '0006_pin_throttle': m0006(),
    '0007_action_claims': m0007(),
    '0008_mask_payment_codes': m0008(),
    '0009_leases': m0009(),
    '0010_history_receipts': m0010(dialect),
    '0011_day_close': m0011(),
    '0012_staff_sessions_terminals': m0012(),
    '0013_pin_reservations': m0013(),
    '0014_report_groups': m0014(),
    '0015_self_checkout': m0015(),
    '0016_history_report_indexes': m0016(),
    '0017_staff_grants_day_groups': m0017(),
    '0019_provider_budgets': m0019(),
    '0020_shared_watch': m0020(),
    '0021_report_running_totals': m0021(dialect),
    '0022_staff_grant_scope': m0022(),
    '0023_budget_turns': m0023(),
  };
}

export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  return migrateTo(db, dialect, undefined);
}

/** Every migration's name, in the order they run. */
export function migrationNames(dialect: Dialect): string[] {
  return Object.keys(migrations(dialect)).sort();
}

/** Brings the schema up to the migration `name` (tests: a store as an earlier version left it), or the latest. */
export async function migrateTo(db: Kysely<Database>, dialect: Dialect, name: string | undefined): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(dialect) } });
  const { error, results } = name === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(name);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : inspect(error)}`, {
      cause: error,
    });
  }
}

/** The code's migrations the database has not run (`pending`), and those it has run that this code does not
 *  know (`unknown`: a newer version migrated it). Reads Kysely's own bookkeeping table; writes nothing. */
export async function migrationStatus(db: Kysely<Database>, dialect: Dialect): Promise<{ pending: string[]; unknown: string[] }> {
  const rows = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db);
  const applied = new Set(rows.rows.map((r) => r.name));
  const known = Object.keys(migrations(dialect));
  return { pending: known.filter((n) => !applied.has(n)), unknown: [...applied].filter((n) => !known.includes(n)).sort() };
}
