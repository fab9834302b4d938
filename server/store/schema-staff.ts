// Row types of staff, their sign-ins, grants, PIN lockouts and audit log, and self-checkout staff calls: the
// staff side of the schema (server/store/schema.ts has the rest and the Database that joins them).
import type { Generated } from 'kysely';

export interface StaffTable {
  id: string;
  name: string;
  /** 'cashier' | 'supervisor' | 'manager' */
  role: string;
  pin_hash: string;
  created_at: string;
  disabled_at: string | null;
}

/** Append-only (database triggers refuse UPDATE and DELETE). */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  terminal_id: string | null;
  staff_id: string | null;
  staff_name: string | null;
  staff_role: string | null;
  action: string;
  outcome: string;
  payment_id: string | null;
  refund_id: string | null;
  amount_value: number | string | null;
  currency: string | null;
  detail: string | null;
}

/** Wrong-PIN counters of one scope ('terminal' | 'store' | 'staff') and key (its id); see staff/throttle.ts. */
export interface PinThrottleTable {
  scope: string;
  key: string;
  /** Wrong PINs counted in the current window (recorded once the PIN has been checked). */
  failures: number;
  window_started_at: string;
  /** Lockouts so far (the next one lasts longer where the scope escalates). */
  lockouts: number;
  locked_until: string | null;
  updated_at: string;
}

/** The staff member signed in at a terminal (one row per terminal; see staff/sessions.ts). */
export interface StaffSessionsTable {
  terminal_id: string;
  staff_id: string;
  staff_name: string;
  staff_role: string;
  signed_in_at: string;
  last_active_at: string;
}

/** A short-lived read-only grant bought with a staff PIN at one terminal (staff/grants.ts; migration 0017). */
export interface StaffGrantsTable {
  /** SHA-256 (hex) of the token the kiosk holds. */
  token_hash: string;
  terminal_id: string;
  staff_id: string;
  staff_name: string;
  staff_role: string;
  created_at: string;
  expires_at: string;
  /** What the grant stands in for the PIN on (staff/roles.ts GRANT_SCOPES; migration 0022). */
  scope: string;
}

/** A PIN check in flight, holding one attempt of a scope until its verdict is recorded or it lapses. */
export interface PinReservationsTable {
  scope: string;
  key: string;
  attempt_id: string;
  expires_at: string;
}

/** A customer's "Call staff" at a self-checkout terminal (migration 0015), open until answered. */
export interface StaffCallsTable {
  id: string;
  store_id: string;
  terminal_id: string;
  terminal_name: string;
  created_at: string;
  answered_at: string | null;
  /** The terminal where staff answered it. */
  answered_by: string | null;
}
