// Staff sessions: a staff member signs in at a tablet with their own PIN (POST /api/staff/sign-in, through the
// throttled, audited PIN gate) and stays signed in there — a server-side row keyed by the terminal, so the
// kiosk sends nothing new: the tablet's token already says which terminal, and the row says who is at it.
// A session ends on sign-out, on another sign-in at the same tablet, when the member is disabled or their
// role changes, and after STAFF_IDLE_MS without an action. Actions are the tablet's non-GET calls and the
// kiosk's activity pings (sent while someone uses the screen); background GETs (polling, the event stream)
// never keep a session alive.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { appendAudit } from '../store/audit.ts';
import type { Database } from '../store/schema.ts';
import { isStaffRole } from '../store/staff.ts';
import { deleteStaffSession, getStaffSession, putStaffSession, touchStaffSession } from '../store/staff-sessions.ts';
import type { StaffMember } from './directory.ts';

export interface SignedIn {
  staff: StaffMember;
  signedInAt: string;
  /** When the session ends unless there is an action before. */
  expiresAt: string;
}

const cached = new WeakMap<FastifyRequest, Promise<SignedIn | null>>();
const iso = (ms: number) => new Date(ms).toISOString();

export class StaffSessions {
  constructor(
    private readonly db: Kysely<Database>,
    readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Who is signed in at the request's terminal (read once per request). */
  ofRequest(request: FastifyRequest): Promise<SignedIn | null> {
    const terminal = request.terminal;
    if (!terminal) return Promise.resolve(null);
    let p = cached.get(request);
    if (!p) {
      p = this.current(terminal.id);
      cached.set(request, p);
    }
    return p;
  }

  async current(terminalId: string): Promise<SignedIn | null> {
    const row = await getStaffSession(this.db, terminalId);
    if (!row || !isStaffRole(row.staff_role)) return null;
    const staff: StaffMember = { id: row.staff_id, name: row.staff_name, role: row.staff_role };
    const expiresAt = Date.parse(row.last_active_at) + this.idleMs;
    if (expiresAt <= this.now()) {
      // Only the caller that removes the row records it, so an idle sign-out is audited once.
      if (await deleteStaffSession(this.db, terminalId, row.last_active_at)) {
        await appendAudit(this.db, { terminalId, staff, action: 'sign_out', outcome: 'idle' });
      }
      return null;
    }
    return { staff, signedInAt: row.signed_in_at, expiresAt: iso(expiresAt) };
  }

  async signIn(terminalId: string, staff: StaffMember): Promise<SignedIn> {
    const now = iso(this.now());
    await putStaffSession(this.db, {
      terminal_id: terminalId,
      staff_id: staff.id,
      staff_name: staff.name,
      staff_role: staff.role,
      signed_in_at: now,
      last_active_at: now,
    });
    return { staff, signedInAt: now, expiresAt: iso(Date.parse(now) + this.idleMs) };
  }

  /** Ends the terminal's session; true if someone was signed in. */
  async signOut(terminalId: string): Promise<boolean> {
    const before = await getStaffSession(this.db, terminalId);
    if (!before || !(await deleteStaffSession(this.db, terminalId))) return false;
    await appendAudit(this.db, {
      terminalId,
      staff: { id: before.staff_id, name: before.staff_name, role: before.staff_role },
      action: 'sign_out',
      outcome: 'requested',
    });
    return true;
  }

  /** An action at the terminal: the session's idle clock starts again (an expired one stays expired). */
  async touch(terminalId: string): Promise<void> {
    const now = this.now();
    await touchStaffSession(this.db, terminalId, iso(now), iso(now - this.idleMs));
  }
}
