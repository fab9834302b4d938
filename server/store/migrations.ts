// Schema migrations as in-code objects (no files to ship or find at runtime). Portable SQL only; the one
// dialect branch is the auto-increment id (payment_events — SSE uses it as its event id — and webhook_events).
import { inspect } from 'node:util';
import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db.ts';
import type { Database } from './schema.ts';
import { maskStoredPaymentCodes } from './mask-stored-codes.ts';

// Migrations see no table types (Kysely<unknown>): each must keep meaning the same once the schema moves on.
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_init': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('terminals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();

        await db.schema
          .createTable('pairing_codes')
          .addColumn('code_hash', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('payments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('terminal_id', 'text', (c) => c.notNull().references('terminals.id'))
          .addColumn('order_id', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.notNull())
          .addColumn('request_hash', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('vendor', 'text')
          .addColumn('amount_value', 'bigint', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('refunded_value', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('reference', 'text', (c) => c.notNull().unique())
          .addColumn('provider_ref', 'text')
          .addColumn('code_masked', 'text')
          .addColumn('qr_payload', 'text')
          .addColumn('qr_expires_at', 'text')
          .addColumn('failure_code', 'text')
          .addColumn('failure_message', 'text')
          .addColumn('needs_attention', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_check_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('payments_terminal_idem_key', ['terminal_id', 'idempotency_key'])
          .execute();
        // At most one open attempt per order, enforced by the database so two racing requests (or two proxy
        // instances) cannot both start charging the same order.
        await db.schema
          .createIndex('payments_one_open_per_order')
          .on('payments')
          .columns(['terminal_id', 'order_id'])
          .unique()
          .where(sql.ref('status'), 'in', ['created', 'pending', 'unknown'])
          .execute();
        await db.schema.createIndex('payments_order').on('payments').columns(['terminal_id', 'order_id']).execute();
        await db.schema.createIndex('payments_status').on('payments').columns(['status']).execute();

        let events = db.schema.createTable('payment_events');
        events =
          dialect === 'postgres'
            ? events.addColumn('id', 'serial', (c) => c.primaryKey())
            : events.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
        await events
          .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('from_status', 'text')
          .addColumn('to_status', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('applied', 'integer', (c) => c.notNull())
          .addColumn('payload', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('payment_events_terminal').on('payment_events').columns(['terminal_id', 'id']).execute();
        await db.schema.createIndex('payment_events_payment').on('payment_events').columns(['payment_id', 'id']).execute();
      },
    },
    '0002_webhooks_attention': {
      async up(db: Kysely<unknown>) {
        // Why staff are asked to look (late payment, provider not answering, …) and since when.
        await db.schema.alterTable('payments').addColumn('attention_reason', 'text').execute();
        await db.schema.alterTable('payments').addColumn('attention_at', 'text').execute();
        // Notifications may name only the provider's id for a payment, not ours.
        await db.schema.createIndex('payments_provider_ref').on('payments').columns(['provider', 'provider_ref']).execute();

        // Every verified provider notification, raw body kept for audit. The unique index is the
        // de-duplication: a retried or replayed notification finds its first delivery instead of acting twice.
        let hooks = db.schema.createTable('webhook_events');
        hooks =
          dialect === 'postgres'
            ? hooks.addColumn('id', 'serial', (c) => c.primaryKey())
            : hooks.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
        await hooks
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
          .addColumn('raw_body', 'text', (c) => c.notNull())
          .addColumn('verified', 'integer', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('webhook_events_provider_event', ['provider', 'event_id'])
          .execute();
        await db.schema.createIndex('webhook_events_payment').on('webhook_events').columns(['payment_id']).execute();
      },
    },
    // Orders uploaded by kiosks (POST /api/orders). The composite primary key is the idempotency guarantee:
    // one row per (terminal, client order id), however many tabs or retries send it at once.
    '0003_orders': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('orders')
          .addColumn('terminal_id', 'text', (c) => c.notNull().references('terminals.id'))
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('lines_json', 'text', (c) => c.notNull())
          .addColumn('total_value', 'bigint', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('body_hash', 'text', (c) => c.notNull())
          .addColumn('client_created_at', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('orders_pk', ['terminal_id', 'id'])
          .execute();
        await db.schema.createIndex('orders_terminal_status').on('orders').columns(['terminal_id', 'status', 'updated_at']).execute();
      },
    },
    // Merchant-presented QR: the provider's short code (where it has one), for patrons who type instead of scanning.
    '0004_qr_short_code': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('payments').addColumn('qr_short_code', 'text').execute();
      },
    },
    // Staff actions (issue 4): staff with hashed PINs, refunds as child rows of a payment with their own
    // status, and the append-only audit log of money-moving actions.
    '0005_staff_refunds_audit': { up: (db: Kysely<unknown>) => staffRefundsAudit(db, dialect) },
    // Wrong-PIN limits as rows (staff/throttle.ts), one per (scope, key): a tablet, a store, a staff member.
    // In the database so a restart does not clear a lockout and every proxy on the database shares it.
    '0006_pin_throttle': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('pin_throttle')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('window_started_at', 'text', (c) => c.notNull())
          .addColumn('lockouts', 'integer', (c) => c.notNull())
          .addColumn('locked_until', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('pin_throttle_pk', ['scope', 'key'])
          .execute();
      },
    },
    // A money-moving staff action's hold on a payment (store/action-claims.ts): taken with a compare-and-set
    // in the database, so it holds across requests, restarts and several proxies on one database.
    '0007_action_claims': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('payments').addColumn('action_claim', 'text').execute();
        await db.schema.alterTable('payments').addColumn('action_kind', 'text').execute();
        await db.schema.alterTable('payments').addColumn('action_since', 'text').execute();
        await db.schema.createIndex('payments_action_kind').on('payments').columns(['action_kind']).execute();
      },
    },
    // Customer payment codes kept in full by earlier versions, in provider payloads and notification
    // bodies, masked the way writes now mask them (issue 9).
    '0008_mask_payment_codes': { up: (db: Kysely<unknown>) => maskStoredPaymentCodes(db) },
  };
}

async function staffRefundsAudit(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    // scrypt with a per-row salt (staff/pin.ts); the PIN itself is never stored.
    .addColumn('pin_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    // Sent to the provider as its refund id: the provider's own de-duplication makes a resend harmless.
    .addColumn('refund_reference', 'text', (c) => c.notNull().unique())
    .addColumn('amount_value', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('staff_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('refunds_payment_idem_key', ['payment_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('refunds_payment').on('refunds').columns(['payment_id']).execute();
  await db.schema.createIndex('refunds_status').on('refunds').columns(['status']).execute();

  let audit = db.schema.createTable('audit_log');
  audit =
    dialect === 'postgres'
      ? audit.addColumn('id', 'serial', (c) => c.primaryKey())
      : audit.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await audit
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text')
    .addColumn('staff_id', 'text')
    .addColumn('staff_name', 'text')
    .addColumn('staff_role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'text')
    .addColumn('refund_id', 'text')
    .addColumn('amount_value', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_payment').on('audit_log').columns(['payment_id', 'id']).execute();
  // Append-only in the database itself, not just by convention: a bug or a hand-typed UPDATE cannot
  // rewrite who moved money.
  if (dialect === 'postgres') {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_change before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
  } else {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger audit_log_no_${op} before ${op} on audit_log
        begin select raise(abort, 'audit_log is append-only'); end`,
        )
        .execute(db);
    }
  }
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
