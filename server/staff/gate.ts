// The PIN check in front of money-moving staff actions (void, refund, acknowledge). The PIN comes in the
// `X-Staff-Pin` header or the body's `pin` field and is never logged or stored. Order matters here:
//   1. a slot is reserved (throttle.ts) before the slow PIN check, so parallel guesses cannot pass a limit;
//      a right PIN frees its slot without counting, a wrong one is counted as it frees it;
//   2. the matched member's role is checked before anything is recorded: a PIN whose holder may not do this
//      action is a failed attempt like a wrong PIN (a cashier's own PIN must not wipe the counter between
//      guesses at the supervisor's);
//   3. every attempt — accepted, refused, locked out — is one row in the append-only audit log.
// Without a PIN, the staff member signed in at the tablet (sessions.ts) is enough when their role is: no PIN
// attempt is made then. A PIN, when sent, is always checked (a supervisor's override at a cashier's till).
// Where a route's rule names grant scopes (roles.ts), a grant of one of them that the tablet bought with a PIN
// (grants.ts, `X-Staff-Grant`) stands in for the PIN: no PIN check. A grant that is not valid here is refused
// outright (403 grant_expired) rather than taken for a wrong PIN, and a valid grant of another scope (a store
// view at the day close) is 403 grant_scope: neither counts as a PIN attempt.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { ApiError } from '../payments/api-error.ts';
import { appendAudit, type AuditAction } from '../store/audit.ts';
import type { Database } from '../store/schema.ts';
import type { StaffRole } from '../store/staff.ts';
import { roleAtLeast, type StaffDirectory, type StaffMember } from './directory.ts';
import { grantOf, type Grant, type StaffGrants } from './grants.ts';
import { grantRole, type GrantScope } from './roles.ts';
import type { StaffSessions } from './sessions.ts';
import type { Lock, PinThrottle, ScopeKey, Slot, ThrottleScope } from './throttle.ts';

// Only someone holding the highest role a PIN action can require may clear the tablet's failures: anything
// less proves nothing about the guesses at a supervisor's PIN made before.
const RESETS_TERMINAL: StaffRole = 'supervisor';

export function pinOf(request: FastifyRequest): unknown {
  const header = request.headers['x-staff-pin'];
  if (header !== undefined) return Array.isArray(header) ? header[0] : header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && !Array.isArray(body) ? body.pin : undefined;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const duration = (ms: number) => (ms < 120_000 ? `${seconds(ms)} s` : `${Math.ceil(ms / 60_000)} min`);

/** What the kiosk shows (src/screens/attention shows the message as is). */
function lockMessage(lock: Lock, role: StaffRole): string {
  switch (lock.scope) {
    case 'terminal':
      return `Too many wrong PINs on this tablet. Try again in ${duration(lock.retryAfterMs)}.`;
    case 'store':
      return `Too many wrong PINs in this store: staff actions with a PIN are paused on every tablet here. Try again in ${duration(lock.retryAfterMs)}.`;
    case 'staff':
      return `Too many wrong ${role} PINs: actions needing one are paused in every store. Try again in ${duration(lock.retryAfterMs)}.`;
  }
}

function nowLockedNote(scope: ThrottleScope): string {
  switch (scope) {
    case 'terminal':
      return ' This tablet is now locked out of staff actions for a while.';
    case 'store':
      return ' Too many wrong PINs in this store: staff actions with a PIN are now paused on every tablet here.';
    case 'staff':
      return ' Too many wrong PINs: these staff actions are now paused in every store.';
  }
}

// Neither gives a verdict on the PIN: the attempt is not counted, and the same PIN may simply be sent again.
function busy(reply: FastifyReply): ApiError {
  reply.header('retry-after', '1');
  return new ApiError(503, 'pin_busy', 'Too many PIN checks at once on this tablet or store. Try again in a moment.');
}
function lapsed(reply: FastifyReply): ApiError {
  reply.header('retry-after', '1');
  return new ApiError(503, 'pin_check_slow', 'The PIN check took too long and was not counted. Try again.');
}

export class StaffGate {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly directory: StaffDirectory,
    private readonly throttle: PinThrottle,
    private readonly sessions?: StaffSessions,
    private readonly grants?: StaffGrants,
  ) {}

  /** A grant of `scope` for the tablet, bought with the PIN (never a session: a signed-in supervisor needs
   *  none) of someone holding the role the scope's routes need; the PIN goes through `require` like any other. */
  async grant(request: FastifyRequest, reply: FastifyReply, scope: GrantScope): Promise<{ staff: StaffMember; grant: Grant }> {
    if (!this.grants) throw new ApiError(503, 'grants_unavailable', 'Grants are not available on this server.');
    const role = grantRole(scope);
    const pin = pinOf(request);
    if (pin === undefined || pin === null || pin === '') {
      throw new ApiError(403, 'pin_required', `A ${role} PIN is required for this (header X-Staff-Pin).`);
    }
    const staff = await this.require(request, reply, role, scope === 'day_close' ? 'day_close' : 'history', null);
    return { staff, grant: await this.grants.issue(request.terminal!.id, staff, scope) };
  }

  /** The staff member behind the request's PIN, who must hold `role`; otherwise an ApiError (403/429). */
  async require(
    request: FastifyRequest,
    reply: FastifyReply,
    role: StaffRole,
    action: AuditAction,
    paymentId: string | null,
    opts: { grants?: readonly GrantScope[] } = {},
  ): Promise<StaffMember> {
    const terminal = request.terminal!;
    const pin = pinOf(request);
    if (pin === undefined || pin === null || pin === '') {
      const token = opts.grants?.length ? grantOf(request) : undefined;
      if (token !== undefined) {
        const holder = await this.grants?.holder(terminal.id, token);
        if (!holder || !roleAtLeast(holder.staff.role, role)) {
          throw new ApiError(403, 'grant_expired', `The supervisor's access has ended on this tablet: enter a ${role}'s PIN again.`);
        }
        if (!opts.grants!.includes(holder.scope)) {
          throw new ApiError(403, 'grant_scope', `This tablet's ${holder.scope} grant does not allow this: enter a ${role}'s PIN.`, {
            scope: holder.scope,
            accepted: opts.grants,
          });
        }
        return holder.staff;
      }
      const signedIn = await this.sessions?.ofRequest(request);
      if (signedIn && roleAtLeast(signedIn.staff.role, role)) return signedIn.staff;
      throw new ApiError(403, 'pin_required', `A ${role} PIN is required for this (header X-Staff-Pin).`);
    }
    const members = await this.directory.members();
    if (members.length === 0) {
      throw new ApiError(
        403,
        'no_staff_configured',
        'No staff PINs are set up on this server (SUPERVISOR_PIN, or server/cli/staff.ts add).',
      );
    }
    const scopes: ScopeKey[] = [
      { scope: 'terminal', key: terminal.id },
      { scope: 'store', key: terminal.store_id },
      ...members.filter((m) => roleAtLeast(m.role, role)).map((m): ScopeKey => ({ scope: 'staff', key: m.id })),
    ];
    const audit = { terminalId: terminal.id, paymentId };

    const attempt = await this.throttle.take(scopes);
    if ('busy' in attempt) {
      await appendAudit(this.db, { ...audit, action: 'pin_locked', outcome: 'refused', detail: { for: action, reason: 'busy' } });
      throw busy(reply);
    }
    if (!attempt.granted) {
      const { lock } = attempt;
      await appendAudit(this.db, {
        ...audit,
        action: 'pin_locked',
        outcome: 'refused',
        detail: { for: action, scope: lock.scope, retryAfterSeconds: seconds(lock.retryAfterMs) },
      });
      reply.header('retry-after', String(seconds(lock.retryAfterMs)));
      throw new ApiError(429, 'pin_locked', lockMessage(lock, role), { retryAfterSeconds: seconds(lock.retryAfterMs), scope: lock.scope });
    }

    const { slot } = attempt;
    const member = await this.identify(pin, slot);
    if (member && roleAtLeast(member.role, role)) {
      if (!(await this.throttle.succeeded(slot, roleAtLeast(member.role, RESETS_TERMINAL) ? ['terminal'] : []))) {
        await appendAudit(this.db, { ...audit, action: 'pin_rejected', outcome: 'refused', detail: { for: action, reason: 'lapsed' } });
        throw lapsed(reply);
      }
      await appendAudit(this.db, { ...audit, staff: member, action: 'pin_accepted', outcome: 'accepted', detail: { for: action } });
      return member;
    }

    const failure = await this.throttle.failed(slot);
    const reason = member ? `${role}_required` : 'wrong_pin';
    if (failure.lapsed) {
      await appendAudit(this.db, { ...audit, action: 'pin_rejected', outcome: 'refused', detail: { for: action, reason: 'lapsed' } });
      throw lapsed(reply);
    }
    const { lock, attemptsLeft } = failure;
    const details = {
      attemptsLeft,
      ...(lock ? { retryAfterSeconds: seconds(lock.retryAfterMs), scope: lock.scope } : {}),
    };
    await appendAudit(this.db, {
      ...audit,
      staff: member,
      action: 'pin_rejected',
      outcome: 'refused',
      detail: { for: action, reason, attemptsLeft, locked: lock !== null, ...(lock ? { scope: lock.scope } : {}) },
    });
    request.log.warn({ terminalId: terminal.id, action, reason, locked: lock?.scope ?? null }, 'staff PIN refused');
    const note = lock ? nowLockedNote(lock.scope) : '';
    if (member) throw new ApiError(403, `${role}_required`, `This needs a ${role}'s PIN.${note}`, details);
    throw new ApiError(403, 'invalid_pin', `Wrong PIN.${note}`, details);
  }

  /** Who the PIN belongs to. If the check itself fails there is no verdict: the slot is freed uncounted. */
  private async identify(pin: unknown, slot: Slot): Promise<StaffMember | null> {
    try {
      return typeof pin === 'string' ? await this.directory.identify(pin) : null;
    } catch (err) {
      await this.throttle.release(slot);
      throw err;
    }
  }
}
