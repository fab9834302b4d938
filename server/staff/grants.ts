// Grants: a supervisor types their PIN once at a tablet (POST /api/staff/grants, through the throttled,
// audited PIN gate) and the tablet gets a random token, good for STAFF_GRANT_MS, that it sends in
// `X-Staff-Grant` instead of the PIN on each request of one screen: the store-scope history (`store_view`) or
// the Day close (`day_close`: the day report and the Z). Why: each PIN check is a scrypt hash (by design slow,
// ~80 ms at load), a search box would pay it per keystroke, and a screen that kept the PIN to re-send it
// would hold the secret itself for as long as it stays open.
// What it does not weaken: the grant is bought only with a PIN that passed the gate (attempts counted, lockout
// as ever); it is bound to the tablet that bought it (useless with another tablet's token); it opens only the
// routes whose rule names its scope (roles.ts) — never refunds, voids or staff management, and a store view
// never the day close; and it ends early when its holder is disabled or their role changes (staff-admin.ts).
// The token is 256 random bits, so guessing one is not a PIN attempt worth counting; only its SHA-256 is
// stored.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { isStaffRole } from '../store/staff.ts';
import { findStaffGrant, insertStaffGrant } from '../store/staff-grants.ts';
import type { StaffMember } from './directory.ts';
import { GRANT_SCOPES, type GrantScope } from './roles.ts';

/** As long as the kiosk kept a typed PIN before (history.svelte.ts): two minutes, not extended by use. */
export const STAFF_GRANT_MS = 120_000;

export interface Grant {
  token: string;
  expiresAt: string;
  scope: GrantScope;
}

export interface GrantHolder {
  staff: StaffMember;
  scope: GrantScope;
}

const isGrantScope = (v: string): v is GrantScope => (GRANT_SCOPES as readonly string[]).includes(v);

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function grantOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-staff-grant'];
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value === '' ? undefined : value;
}

export class StaffGrants {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = STAFF_GRANT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(terminalId: string, staff: StaffMember, scope: GrantScope): Promise<Grant> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now + this.ttlMs).toISOString();
    await insertStaffGrant(this.db, {
      token_hash: hashOf(token),
      terminal_id: terminalId,
      staff_id: staff.id,
      staff_name: staff.name,
      staff_role: staff.role,
      created_at: new Date(now).toISOString(),
      expires_at: expiresAt,
      scope,
    });
    return { token, expiresAt, scope };
  }

  /** Who vouched for the token at this terminal and for what, or null (unknown, another tablet's, or expired). */
  async holder(terminalId: string, token: string): Promise<GrantHolder | null> {
    if (!TOKEN.test(token)) return null;
    const row = await findStaffGrant(this.db, hashOf(token), terminalId, new Date(this.now()).toISOString());
    if (!row || !isStaffRole(row.staff_role) || !isGrantScope(row.scope)) return null;
    return { staff: { id: row.staff_id, name: row.staff_name, role: row.staff_role }, scope: row.scope };
  }
}
