// The PIN check in front of money-moving staff actions (void, refund, acknowledge): throttled per terminal,
// every refusal audited. The PIN comes in the `X-Staff-Pin` header or the body's `pin` field and is never
// logged or stored.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { ApiError } from '../payments/api-error.ts';
import { appendAudit, type AuditAction } from '../store/audit.ts';
import type { Database } from '../store/schema.ts';
import type { StaffRole } from '../store/staff.ts';
import type { StaffDirectory, StaffMember } from './directory.ts';
import type { PinThrottle } from './throttle.ts';

export function pinOf(request: FastifyRequest): unknown {
  const header = request.headers['x-staff-pin'];
  if (header !== undefined) return Array.isArray(header) ? header[0] : header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && !Array.isArray(body) ? body.pin : undefined;
}

export class StaffGate {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly directory: StaffDirectory,
    private readonly throttle: PinThrottle,
  ) {}

  /** The staff member behind the request's PIN, who must hold `role`; otherwise an ApiError (403/429). */
  async require(request: FastifyRequest, reply: FastifyReply, role: StaffRole, action: AuditAction, paymentId: string): Promise<StaffMember> {
    const terminalId = request.terminal!.id;
    const pin = pinOf(request);
    if (pin === undefined || pin === null || pin === '') {
      throw new ApiError(403, 'pin_required', `A ${role} PIN is required for this (header X-Staff-Pin).`);
    }
    const state = this.throttle.check(terminalId);
    if (state.locked) {
      const seconds = Math.ceil(state.retryAfterMs / 1000);
      await appendAudit(this.db, { terminalId, action: 'pin_locked', outcome: 'refused', paymentId, detail: { for: action, retryAfterSeconds: seconds } });
      reply.header('retry-after', String(seconds));
      throw new ApiError(429, 'pin_locked', `Too many wrong PINs on this tablet. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
    const member = typeof pin === 'string' ? await this.directory.identify(pin) : null;
    if (!member) {
      if (!(await this.directory.configured())) {
        throw new ApiError(403, 'no_staff_configured', 'No staff PINs are set up on this server (SUPERVISOR_PIN, or server/cli/staff.ts add).');
      }
      const after = this.throttle.fail(terminalId);
      await appendAudit(this.db, { terminalId, action: 'pin_rejected', outcome: 'refused', paymentId, detail: { for: action, attemptsLeft: after.attemptsLeft, locked: after.locked } });
      request.log.warn({ terminalId, action, locked: after.locked }, 'wrong staff PIN');
      throw new ApiError(403, 'invalid_pin', after.locked ? 'Wrong PIN. This tablet is now locked out of staff actions for a while.' : 'Wrong PIN.', {
        attemptsLeft: after.attemptsLeft, ...(after.locked ? { retryAfterSeconds: Math.ceil(after.retryAfterMs / 1000) } : {}),
      });
    }
    this.throttle.succeed(terminalId);
    if (role === 'supervisor' && member.role !== 'supervisor') {
      await appendAudit(this.db, { terminalId, staff: member, action, outcome: 'refused', paymentId, detail: { reason: 'supervisor_required' } });
      throw new ApiError(403, 'supervisor_required', 'This needs a supervisor\'s PIN.');
    }
    return member;
  }
}
