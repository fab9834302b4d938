// Staff actions on one payment (issue 4, DESIGN §1/§10): re-check it with the provider now, void it
// (supervisor; a paid payment's void is voids.ts), acknowledge a flag (supervisor). Every status change goes through outcome.ts (the provider's
// answer) to the one write path, and every action lands in the append-only audit log.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { isOpen } from '../../src/shared/payment.ts';
import type { EventBus } from '../events/bus.ts';
import type { StaffMember } from '../staff/directory.ts';
import { appendAudit } from '../store/audit.ts';
import type { Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import type { TerminalRow } from '../store/terminals.ts';
import type { AdapterRegistry } from './adapters.ts';
import { ApiError } from './api-error.ts';
import { ATTENTION } from './attention.ts';
import { ProviderError, type PaymentAdapter, type ProviderVerdict } from '../providers/types.ts';
import { recordAnswered, recordVerdict } from './outcome.ts';
import type { RefundService } from './refunds.ts';
import type { PaymentService, Watcher } from './service.ts';
import { setAttention } from './transition.ts';
import { Voids } from './voids.ts';
import type { Leases } from './leases.ts';

export interface StaffActionDeps {
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  service: PaymentService;
  refunds: RefundService;
  watcher: Watcher;
  log: FastifyBaseLogger;
  retry: { initialMs: number; maxMs: number };
  /** How long a void without a verdict may still be on its way to the provider. */
  graceMs: number;
  leases: Leases;
}

export class StaffActions {
  private readonly voids: Voids;

  constructor(private readonly deps: StaffActionDeps) {
    this.voids = new Voids(deps);
  }

  /** A void left without a verdict (by this proxy before a restart, or by another), claimed by the sweep. */
  adoptVoid(id: string): void {
    this.voids.adopt(id);
  }

  async stop(): Promise<void> {
    await this.voids.stop();
  }

  /** Asks the provider now and applies the answer. Open payments stay with the reconciler afterwards. */
  async recheck(terminal: TerminalRow, id: string): Promise<Payment> {
    const p = await this.deps.service.get(terminal, id);
    const adapter = this.adapterFor(p);
    let verdict: ProviderVerdict | null;
    try {
      verdict = await adapter.query({ reference: p.reference, providerRef: p.providerRef ?? undefined });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      await appendAudit(this.deps.db, {
        terminalId: terminal.id,
        action: 'recheck',
        outcome: 'no_answer',
        paymentId: p.id,
        detail: { code: err.code },
      });
      throw new ApiError(
        502,
        'provider_not_answering',
        `${p.provider} did not answer the check: ${err.message}. Nothing changed; try again.`,
        { code: err.code },
      );
    }
    let after = p;
    // "No such payment" is not believed on the spot (a request may still be on its way): the reconciler
    // decides that with its grace period.
    if (verdict) {
      await recordAnswered(this.deps, p, 'cashier');
      after = (await recordVerdict(this.deps, p.id, verdict, 'cashier')).payment;
      if (after.needsAttention && after.attentionReason === ATTENTION.voidUnconfirmed && after.status === 'reversed') {
        after = (await setAttention(this.deps.db, this.deps.bus, { paymentId: p.id, on: false, source: 'cashier' })).payment;
      }
    }
    if (isOpen(after.status) || after.status === 'expired') this.deps.watcher.watch(p.id);
    if (p.claim?.kind === 'void') this.voids.kick(p.id);
    await this.deps.refunds.kick(p.id);
    await appendAudit(this.deps.db, {
      terminalId: terminal.id,
      action: 'recheck',
      outcome: after.status,
      paymentId: p.id,
      detail: { before: p.status, provider: verdict ? verdict.status : 'not_found' },
    });
    return after;
  }

  /** Reverses a captured payment in full (voids.ts; an open one is cancelled instead, at its own till only).
   *  `p` is a payment the route let `terminal` reach (staff-reach.ts). `accepted`: the provider has not
   *  confirmed yet; the outcome arrives over SSE. */
  async void(terminal: TerminalRow, p: Payment, staff: StaffMember): Promise<{ payment: Payment; accepted: boolean }> {
    const id = p.id;
    await appendAudit(this.deps.db, {
      terminalId: terminal.id,
      staff,
      action: 'void',
      outcome: 'requested',
      paymentId: p.id,
      amount: p.amount,
      detail: { status: p.status },
    });
    if (isOpen(p.status)) {
      // The customer is at the till that took it, maybe still paying: only that till cancels.
      if (p.terminalId !== terminal.id) {
        throw new ApiError(409, 'payment_open', 'This payment is still in progress at the till that took it; cancel it there.', {
          status: p.status,
        });
      }
      const r = await this.deps.service.cancel(terminal, id);
      await appendAudit(this.deps.db, {
        terminalId: terminal.id,
        staff,
        action: 'void',
        outcome: r.accepted ? 'accepted' : r.payment.status,
        paymentId: p.id,
      });
      return r;
    }
    return this.voids.voidPaid(terminal, p, staff);
  }

  /** A supervisor has looked at a flagged payment (e.g. a late payment the sale kept): the flag is cleared. */
  async acknowledge(terminal: TerminalRow, id: string, staff: StaffMember): Promise<Payment> {
    const p = await this.deps.service.get(terminal, id);
    if (isOpen(p.status)) {
      throw new ApiError(409, 'payment_open', 'This payment is still being checked; it leaves the list by itself once it settles.', {
        status: p.status,
      });
    }
    const r = await setAttention(this.deps.db, this.deps.bus, {
      paymentId: p.id,
      on: false,
      source: 'cashier',
      detail: { acknowledgedBy: staff.id },
    });
    await appendAudit(this.deps.db, {
      terminalId: terminal.id,
      staff,
      action: 'acknowledge',
      outcome: r.changed ? 'cleared' : 'not_flagged',
      paymentId: p.id,
      detail: { reason: p.attentionReason },
    });
    return r.payment;
  }

  private adapterFor(p: Payment): PaymentAdapter {
    const adapter = this.deps.adapters.get(p.provider);
    if (!adapter) throw new ApiError(503, 'provider_unavailable', `${p.provider} is not available right now.`);
    return adapter;
  }
}
