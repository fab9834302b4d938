// audit_log: who (staff + terminal) did what to which payment, when, and how it ended. Rows are only ever
// inserted — the database refuses UPDATE and DELETE (migration 0005) — so the trail of money-moving actions
// cannot be rewritten after the fact. Every staff PIN attempt is recorded too (pin_accepted, pin_rejected,
// pin_locked; detail.for names the action tried), never the PIN itself.
import type { Kysely, Transaction } from 'kysely';
import type { Money } from '../../src/shared/money.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type AuditAction =
  | 'recheck'
  | 'void'
  | 'refund'
  | 'acknowledge'
  | 'history'
  | 'day_report'
  | 'day_close'
  | 'pin_accepted'
  | 'pin_rejected'
  | 'pin_locked'
  // Self-checkout (routes/self-checkout.ts): the mode switched, a customer's call raised or answered.
  | 'self_checkout'
  | 'staff_call'
  // Staff sessions and management (server/staff/sessions.ts, routes/staff-members.ts, routes/terminals.ts).
  | 'sign_in'
  | 'sign_out'
  | 'manage_staff'
  | 'manage_terminals';

export interface AuditEntry {
  terminalId: string | null;
  staff?: { id: string; name: string; role: string } | null;
  action: AuditAction;
  /** requested | succeeded | failed | pending | unknown | refused | replayed … */
  outcome: string;
  paymentId?: string | null;
  refundId?: string | null;
  amount?: Money | null;
  detail?: unknown;
}

export interface AuditRow extends Omit<AuditEntry, 'detail'> {
  id: number;
  at: string;
  detail: unknown;
}

export async function appendAudit(db: Db, e: AuditEntry): Promise<number> {
  const row = await db
    .insertInto('audit_log')
    .values({
      at: new Date().toISOString(),
      terminal_id: e.terminalId,
      staff_id: e.staff?.id ?? null,
      staff_name: e.staff?.name ?? null,
      staff_role: e.staff?.role ?? null,
      action: e.action,
      outcome: e.outcome,
      payment_id: e.paymentId ?? null,
      refund_id: e.refundId ?? null,
      amount_value: e.amount?.value ?? null,
      currency: e.amount?.currency ?? null,
      detail: e.detail === undefined ? null : JSON.stringify(e.detail),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listAudit(db: Db, filter: { paymentId?: string; terminalId?: string } = {}): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.paymentId) q = q.where('payment_id', '=', filter.paymentId);
  if (filter.terminalId) q = q.where('terminal_id', '=', filter.terminalId);
  const rows = await q.orderBy('id', 'asc').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    terminalId: r.terminal_id,
    staff: r.staff_id ? { id: r.staff_id, name: r.staff_name ?? '', role: r.staff_role ?? '' } : null,
    action: r.action as AuditAction,
    outcome: r.outcome,
    paymentId: r.payment_id,
    refundId: r.refund_id,
    amount: r.amount_value === null ? null : { value: Number(r.amount_value), currency: r.currency ?? '' },
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
  }));
}
