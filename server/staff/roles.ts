// What each role may do: THE table. Every route that needs a role names its action here and asks the gate
// (gate.ts) for `minimumRole(action)`; README's roles table is this table (tests/unit/roles-readme.test.ts
// compares them). Roles are ordered (store/staff.ts STAFF_ROLES): a role may do all a lower one may.
//
// `proof` says what the gate accepts:
//   'session'        the staff member signed in at the tablet — enforced only when STAFF_SIGN_IN=required
//                    (otherwise the tablet's token alone is enough, and the staff member is recorded if any);
//   'session-or-pin' a signed-in staff member with the role, or the PIN of one in `X-Staff-Pin` (or the
//                    body's `pin`) — so a paired tablet's token plus a supervisor's PIN is enough for scripts;
//   'session-pin-or-grant' the same, or a grant bought with such a PIN at this tablet (`X-Staff-Grant`,
//                    staff/grants.ts) whose scope is one of the rule's `grants`, so a screen that reads again
//                    and again (paging, refreshing a report) costs one PIN check, and the PIN is not kept.
//
// Grant scopes: `store_view` (the History screen) only reads; `day_close` (the Day close screen) reads the
// day report and closes the day. Closing the day is irreversible but moves no money, and a `day_close` grant is
// narrower than the signed-in supervisor's session, which may close it with no PIN (as it may refund): one
// tablet, two minutes not extended by use, these two routes. A store view never closes the day; refunds,
// voids and staff management accept no grant at all.
import { GRANT_SCOPE_NAMES } from '../../src/shared/staff-schemas.ts';
import { STAFF_ROLES, type StaffRole } from '../store/staff.ts';

export const GRANT_SCOPES = GRANT_SCOPE_NAMES;
export type GrantScope = (typeof GRANT_SCOPES)[number];

export interface RoleRule {
  role: StaffRole;
  proof: 'session' | 'session-or-pin' | 'session-pin-or-grant';
  /** The routes it guards, as README lists them. */
  routes: string;
  /** With 'session-pin-or-grant': the grant scopes that stand in for the PIN. */
  grants?: readonly GrantScope[];
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
    grants: ['store_view'],
  },
  day_report: { role: 'supervisor', proof: 'session-pin-or-grant', routes: 'GET /api/reports/day', grants: ['store_view', 'day_close'] },
  day_close: { role: 'supervisor', proof: 'session-pin-or-grant', routes: 'POST /api/reports/day/close', grants: ['day_close'] },
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

/** The grant scopes the action accepts in place of a PIN (none: a PIN or a session only). */
export function acceptedGrants(action: RoleAction): readonly GrantScope[] {
  const rule: RoleRule = ROLE_TABLE[action];
  return rule.proof === 'session-pin-or-grant' ? (rule.grants ?? []) : [];
}

/** Whose PIN may buy a grant of this scope: the highest role any action it opens requires. */
export function grantRole(scope: GrantScope): StaffRole {
  const opened = (Object.keys(ROLE_TABLE) as RoleAction[]).filter((action) => acceptedGrants(action).includes(scope));
  return STAFF_ROLES[Math.max(...opened.map((action) => STAFF_ROLES.indexOf(ROLE_TABLE[action].role)))];
}

const PROOF_TEXT: Record<RoleRule['proof'], (r: RoleRule) => string> = {
  session: () => 'signed in (when STAFF_SIGN_IN=required)',
  'session-or-pin': () => 'signed in, or PIN in X-Staff-Pin',
  'session-pin-or-grant': (r) => `signed in, PIN in X-Staff-Pin, or ${(r.grants ?? []).join('/')} grant in X-Staff-Grant`,
};

/** The table as README shows it (cells of each row), so the two cannot drift apart. */
export function roleTableRows(): string[][] {
  return (Object.entries(ROLE_TABLE) as [RoleAction, RoleRule][]).map(([action, r]) => [
    `\`${action}\``,
    r.routes,
    r.role,
    PROOF_TEXT[r.proof](r),
  ]);
}
