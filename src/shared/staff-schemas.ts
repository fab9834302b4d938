// Staff sign-in, staff management and terminal management (issue 11) as TypeBox schemas, beside
// api-schemas.ts and with its conventions: the proxy validates with them, the kiosk's types are Static<> of
// them (staff-api.ts, type-only). Pure: no I/O, no server imports.
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const refusedAs = (code: string, message: string) => ({ 'x-error': { code, message } });

export const STAFF_ROLE_NAMES = ['cashier', 'supervisor', 'manager'] as const;

const pinField = Type.String({ pattern: '^[0-9]{4,12}$', ...refusedAs('invalid_pin_format', 'A PIN is 4 to 12 digits.') });
const role = Type.Enum(STAFF_ROLE_NAMES, refusedAs('invalid_role', 'role must be cashier, supervisor or manager.'));
const name = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '\\S',
  ...refusedAs('invalid_name', 'name must be 1-64 characters, not only spaces.'),
});

export const StaffMemberView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role,
  /** `env`: a PIN from the server's environment (SUPERVISOR_PIN …), changed there, not here. */
  source: Type.Enum(['database', 'env']),
  disabled: Type.Boolean(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
});

/** POST /api/staff/sign-in */
export const SignInRequest = Type.Object(
  { pin: Type.String({ minLength: 1, maxLength: 64, ...refusedAs('pin_required', 'Send {"pin": "<your PIN>"}.') }) },
  { ...strict, ...refusedAs('invalid_request', 'Send {"pin": "<your PIN>"}.') },
);

/** GET /api/staff/session, and the answer to sign-in, sign-out and activity. */
export const StaffSessionView = Type.Object({
  staff: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), role }), Type.Null()]),
  /** When the session ends without an action before (null when nobody is signed in). */
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  idleMs: Type.Integer(),
  /** STAFF_SIGN_IN=required: sales and cancels need someone signed in. */
  signInRequired: Type.Boolean(),
});

/** What a grant stands in for the PIN on (server/staff/roles.ts): `store_view` the History screen's reads,
 *  `day_close` the Day close screen's (the day report and the Z). */
export const GRANT_SCOPE_NAMES = ['store_view', 'day_close'] as const;
const grantScope = Type.Enum(GRANT_SCOPE_NAMES, refusedAs('invalid_grant_scope', 'scope must be store_view or day_close.'));

/** POST /api/staff/grants {pin, scope?} (scope: store_view when absent) */
export const GrantRequest = Type.Object(
  {
    pin: Type.String({ minLength: 1, maxLength: 64, ...refusedAs('pin_required', 'Send {"pin": "<your PIN>"}.') }),
    scope: Type.Optional(grantScope),
  },
  { ...strict, ...refusedAs('invalid_request', 'Send {"pin": "<your PIN>", "scope": "store_view" | "day_close"}.') },
);

/** The answer: the token goes in X-Staff-Grant on the scope's routes. */
export const StaffGrantView = Type.Object({
  grant: Type.String(),
  staff: Type.Object({ id: Type.String(), name: Type.String(), role }),
  expiresAt: Type.String(),
  /** The same end, as time left when the proxy answered: what the kiosk times it by, since a tablet's clock
   *  may be minutes off the proxy's. */
  expiresInMs: Type.Integer({ minimum: 0 }),
  scope: grantScope,
});

export const StaffList = Type.Object({ staff: Type.Array(StaffMemberView) });

// The member's PIN is `newPin`: a body's `pin` is the acting manager's own PIN (as on every PIN route).

/** POST /api/staff/members (manager) */
export const AddStaffRequest = Type.Object(
  { name, role, newPin: pinField },
  { ...strict, ...refusedAs('invalid_request', 'Send {"name", "role", "newPin"}.') },
);

/** PATCH /api/staff/members/:id (manager): a new role, a new PIN, or both. */
export const UpdateStaffRequest = Type.Object(
  { role: Type.Optional(role), newPin: Type.Optional(pinField) },
  { ...strict, minProperties: 1, ...refusedAs('invalid_request', 'Send {"role"} and/or {"newPin"}.') },
);

export const StaffIdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export const TerminalView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  /** The tablet asking. */
  current: Type.Boolean(),
});

export const TerminalList = Type.Object({ terminals: Type.Array(TerminalView) });

/** PATCH /api/terminals/:id (manager) */
export const RenameTerminalRequest = Type.Object({ name }, { ...strict, ...refusedAs('invalid_request', 'Send {"name"}.') });
