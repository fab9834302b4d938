// What each role may do: THE table. Every route that needs a role names its action here and asks the gate
// (gate.ts) for `minimumRole(action)`; README's roles table is this table (tests/unit/roles-readme.test.ts
// compares them). Roles are ordered (store/staff.ts STAFF_ROLES): a role may do all a lower one may.
//
// `proof` says what the gate accepts:
//   'session'        the staff member signed in at the tablet — enforced only when STAFF_SIGN_IN=required
//                    (otherwise the tablet's token alone is enough, and the staff member is recorded if any);
//   'session-or-pin' a signed-in staff member with the role, or the PIN of one in `X-Staff-Pin` (or the
//                    body's `pin`) — so a paired tablet's token plus a supervisor's PIN is enough for scripts;
//   'session-pin-or-grant' the same, or (reads only) a store-view grant bought with such a PIN at this tablet
//                    (`X-Staff-Grant`, staff/grants.ts), so paging and searching cost no PIN check each.
import type { StaffRole } from '../store/staff.ts';

export interface RoleRule {
  role: StaffRole;
  proof: 'session' | 'session-or-pin' | 'session-pin-or-grant';
  /** The routes it guards, as README lists them. */
  routes: string;
}

export const ROLE_TABLE = {
  sell: { role: 'cashier', proof: 'session', routes: 'POST /api/payments' },
  refund: { role: 'supervisor', proof: 'session-or-pin', routes: 'POST /api/payments/:id/refunds' },
  void: { role: 'supervisor', proof: 'session-or-pin', routes: 'POST /api/payments/:id/void' },
  acknowledge: { role: 'supervisor', proof: 'session-or-pin', routes: 'POST /api/payments/:id/acknowledge' },
  store_history: {
    role: 'supervisor',
    proof: 'session-pin-or-grant',
    routes: 'GET /api/payments?scope=store, GET /api/payments/:id/detail?scope=store',
  },
  day_report: { role: 'supervisor', proof: 'session-or-pin', routes: 'GET /api/reports/day' },
  day_close: { role: 'supervisor', proof: 'session-or-pin', routes: 'POST /api/reports/day/close' },
  self_checkout: { role: 'supervisor', proof: 'session-or-pin', routes: 'PUT /api/terminal/self-checkout' },
  manage_staff: { role: 'manager', proof: 'session-or-pin', routes: 'GET, POST /api/staff/members, PATCH, DELETE /api/staff/members/:id' },
  manage_terminals: {
    role: 'manager',
    proof: 'session-or-pin',
    routes: 'GET /api/terminals, PATCH /api/terminals/:id, POST /api/terminals/:id/revoke',
  },
} as const satisfies Record<string, RoleRule>;

export type RoleAction = keyof typeof ROLE_TABLE;

export function minimumRole(action: RoleAction): StaffRole {
  return ROLE_TABLE[action].role;
}

const PROOF_TEXT: Record<RoleRule['proof'], string> = {
  session: 'signed in (when STAFF_SIGN_IN=required)',
  'session-or-pin': 'signed in, or PIN in X-Staff-Pin',
  'session-pin-or-grant': 'signed in, PIN in X-Staff-Pin, or grant in X-Staff-Grant',
};

/** The table as README shows it (cells of each row), so the two cannot drift apart. */
export function roleTableRows(): string[][] {
  return (Object.entries(ROLE_TABLE) as [RoleAction, RoleRule][]).map(([action, r]) => [
    `\`${action}\``,
    r.routes,
    r.role,
    PROOF_TEXT[r.proof],
  ]);
}
