// Row types as the query layer sees them. Only portable column types: text, integer/bigint (booleans are
// 0/1, timestamps are ISO-8601 UTC text, JSON is text) so the same queries run on SQLite and Postgres.
import type { ColumnType, Generated } from 'kysely';
import type * as Staff from './schema-staff.ts';

export type * from './schema-staff.ts';

export interface TerminalsTable {
  id: string;
  store_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** Last authenticated call (written at most about once a minute); null until the first. */
  last_seen_at: string | null;
  /** Self-checkout mode (migration 0015): 1 while customers use the tablet on their own. */
  self_checkout: ColumnType<number, number | undefined, number>;
  /** An instance has a kiosk's event stream of this terminal open until at least then (migration 0020). */
  stream_until?: string | null;
}

export interface PairingCodesTable {
  code_hash: string;
  store_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface PaymentsTable {
  id: string;
  terminal_id: string;
  order_id: string;
  idempotency_key: string;
  request_hash: string;
  status: string;
  mode: string;
  provider: string;
  vendor: string | null;
  /** Integer minor units. bigint in Postgres comes back as a string: repositories convert with Number(). */
  amount_value: number | string;
  currency: string;
  refunded_value: number | string;
  reference: string;
  provider_ref: string | null;
  code_masked: string | null;
  qr_payload: string | null;
  qr_expires_at: string | null;
  qr_short_code: string | null;
  failure_code: string | null;
  failure_message: string | null;
  needs_attention: number;
  /** Why staff should look (see payments/attention.ts); null when needs_attention is 0. */
  attention_reason: string | null;
  attention_at: string | null;
  late: number;
  next_check_at: string | null;
  /** A kiosk read the payment through some instance: it counts as watched until then (migration 0020). */
  watched_until?: string | null;
  /** The staff action holding this payment (store/action-claims.ts): its id, kind and since when; all null when free. */
  action_claim: string | null;
  action_kind: string | null;
  action_since: string | null;
  /** Who took the sale: the staff member signed in at the tablet (null when nobody was). */
  staff_id: string | null;
  /** The instance working this payment and until when (store/leases.ts); null when nobody holds it. */
  lease_owner: string | null;
  lease_until: string | null;
  /** The holder's own provider call under way ('charge' | 'cancel'); null between calls. */
  lease_call: string | null;
  /** A cashier asked to cancel while the charge was still unanswered: whoever works the payment cancels it. */
  cancel_requested_at: string | null;
  created_at: string;
  updated_at: string;
  /** History and receipts (migration 0010): null only on rows older than it. */
  store_id: string | null;
  business_day: string | null;
  code_last4: string | null;
  receipt_no: string | null;
  receipt_token: string | null;
}

export interface PaymentEventsTable {
  id: Generated<number>;
  payment_id: string;
  terminal_id: string;
  from_status: string | null;
  to_status: string;
  source: string;
  applied: number;
  payload: string | null;
  created_at: string;
}

export interface WebhookEventsTable {
  id: Generated<number>;
  provider: string;
  /** The provider's identity of the notification (its module's parseWebhook decides). Unique per provider. */
  event_id: string;
  payment_id: string | null;
  raw_body: string;
  verified: number;
  outcome: string;
  /** How many later deliveries of the same event were acknowledged without acting again. */
  duplicates: number;
  received_at: string;
  updated_at: string;
}

/** A refund of (part of) a payment: a child row with its own status (created → pending/unknown → succeeded/failed). */
export interface RefundsTable {
  id: string;
  payment_id: string;
  terminal_id: string;
  idempotency_key: string;
  request_hash: string;
  refund_reference: string;
  amount_value: number | string;
  currency: string;
  status: string;
  provider_ref: string | null;
  failure_code: string | null;
  failure_message: string | null;
  staff_id: string | null;
  /** The instance following this refund up and until when (store/leases.ts). */
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

/** A closed business day (issue 11): per terminal or per store, with the totals it froze (JSON). */
export interface ZReportsTable {
  id: string;
  scope: string;
  scope_key: string;
  store_id: string;
  business_date: string;
  number: number;
  window_start: string;
  window_end: string;
  totals: string;
  closed_by_staff_id: string | null;
  closed_by_name: string | null;
  closed_by_terminal_id: string;
  closed_at: string;
}

/** One difference between our books and a provider's record, found by reconciliation (reports/reconcile.ts). */
export interface ReconciliationDifferencesTable {
  id: string;
  diff_key: string;
  store_id: string;
  business_date: string;
  provider: string;
  kind: string;
  provider_ref: string | null;
  reference: string | null;
  payment_id: string | null;
  terminal_id: string | null;
  currency: string | null;
  ours_value: number | string | null;
  theirs_value: number | string | null;
  ours_status: string | null;
  theirs_status: string | null;
  message: string;
  first_seen_at: string;
  last_seen_at: string;
  resolved_at: string | null;
}

/** The last receipt number given per store and business day (payments/receipts.ts). */
export interface ReceiptCountersTable {
  store_id: string;
  business_day: string;
  last_number: number;
}

export interface Database {
  terminals: TerminalsTable;
  pairing_codes: PairingCodesTable;
  payments: PaymentsTable;
  payment_events: PaymentEventsTable;
  webhook_events: WebhookEventsTable;
  staff: Staff.StaffTable;
  refunds: RefundsTable;
  audit_log: Staff.AuditLogTable;
  pin_throttle: Staff.PinThrottleTable;
  z_reports: ZReportsTable;
  reconciliation_differences: ReconciliationDifferencesTable;
  staff_sessions: Staff.StaffSessionsTable;
  staff_grants: Staff.StaffGrantsTable;
  receipt_counters: ReceiptCountersTable;
  pin_reservations: Staff.PinReservationsTable;
  staff_calls: Staff.StaffCallsTable;
  provider_budgets: ProviderBudgetsTable;
  payment_totals: PaymentTotalsTable;
  refund_totals: PaymentTotalsTable & { staff_id: string };
}

/** A provider account's request budget, shared by every proxy on the database (migration 0019; payments/token-bucket.ts). */
export interface ProviderBudgetsTable {
  account: string;
  tokens: number;
  /** ms since the epoch */
  refilled_at: number;
  paused_until: number;
  /** Whose turn the next token is, until next_until, and for which line: 'urgent' | 'normal' (migration 0023). */
  next_taker: string | null;
  next_until: Generated<number>;
  next_line: string | null;
  last_taker: string | null;
}

/** Payments' (refunds': + staff_id) count and sum per terminal, UTC quarter hour and group (migration 0021). */
export interface PaymentTotalsTable {
  terminal_id: string;
  bucket: string;
  currency: string;
  provider: string;
  vendor: string;
  status: string;
  n: number | string;
  amount: number | string;
}
