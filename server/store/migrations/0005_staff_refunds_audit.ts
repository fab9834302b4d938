import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../db.ts';

// Staff actions (issue 4): staff with hashed PINs, refunds as child rows of a payment with their own
// status, and the append-only audit log of money-moving actions.
export function migration(dialect: Dialect): Migration {
  return { up: (db: Kysely<unknown>) => staffRefundsAudit(db, dialect) };
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
