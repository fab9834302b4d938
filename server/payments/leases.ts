// This instance's side of the row leases (store/leases.ts): its random id, the rows it holds and why, a
// heartbeat that keeps those leases alive, and the sweep that claims work nobody holds — payments whose next
// check is due, refunds without a verdict, staff actions whose proxy died — so every instance polls for due
// work and a dead instance's work is taken by another within one lease period. The lease only decides who
// makes provider calls for a row; every status change still goes through the one write path (transition.ts).
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Dialect } from '../store/db.ts';
import {
  beginPaymentCall,
  claimDuePayments,
  claimOpenRefunds,
  endPaymentCall,
  releaseAllLeases,
  releaseForeignLeases,
  releaseLease,
  renewLeases,
  takePaymentLease,
  takeRefundLease,
  type Claimed,
  type LeaseTable,
} from '../store/leases.ts';
import type { Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';

/** Why this instance holds a row: while any reason remains, the heartbeat keeps its lease. */
export type Purpose = 'check' | 'charge' | 'cancel' | 'void' | 'follow-up' | 'refund';

export interface LeaseDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  /** How long a lease lasts without renewal: how soon another instance takes a dead one's work. */
  leaseMs: number;
  log: FastifyBaseLogger;
  /** A row whose holder's lease ran out was taken (claim takeovers). */
  tookOver?(table: LeaseTable): void;
}

export interface DueWork {
  /** A payment to watch (the reconciler) — its row as read after the claim. */
  payment(id: string): Promise<void>;
  refund(id: string): void;
  /** How long after creation an expired payment is still watched. */
  lateWindowMs: number;
}

export class Leases {
  /** This instance, for as long as the process lives. */
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly held: Record<LeaseTable, Map<string, Set<Purpose>>> = { payments: new Map(), refunds: new Map() };
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private work: DueWork | null = null;
  private stopped = false;
  private booted = false;

  constructor(private readonly deps: LeaseDeps) {}

  get leaseMs(): number {
    return this.deps.leaseMs;
  }

  private until(): string {
    return new Date(Date.now() + this.deps.leaseMs).toISOString();
  }

  /** A lease stored on a row is alive (its holder renewed it within a lease period). */
  alive(lease: { until: string } | null): boolean {
    return lease !== null && lease.until > new Date().toISOString();
  }

  /** A charge or cancel call on this payment is under way, on this instance or another. */
  callUnderWay(p: Payment): boolean {
    return p.lease !== null && (p.lease.call === 'charge' || p.lease.call === 'cancel') && this.alive(p.lease);
  }

  /** The lease a new payment is inserted with: held by us while its charge call is out. */
  forCharge(id: string): { owner: string; until: string; call: string } {
    this.hold('payments', id, 'charge');
    return { owner: this.owner, until: this.until(), call: 'charge' };
  }

  async endCharge(id: string): Promise<void> {
    await endPaymentCall(this.deps.db, id, this.owner).catch((err) => this.warn('could not end charge call', id, err));
    this.let('payments', id, 'charge');
  }

  /** The reconciler's check: 'mine' (go ahead), 'busy' (our own call on it is under way: later), 'other'
   *  (another live instance works it: leave it to them). */
  async takeForCheck(p: Payment): Promise<'mine' | 'busy' | 'other'> {
    if (p.lease && this.alive(p.lease)) {
      if (p.lease.owner !== this.owner) return 'other';
      if (p.lease.call !== null) return 'busy';
    }
    const now = new Date().toISOString();
    if (!(await takePaymentLease(this.deps.db, p.id, this.owner, now, this.until()))) return 'other';
    if (p.lease && p.lease.owner !== this.owner && !this.alive(p.lease)) this.deps.tookOver?.('payments');
    this.hold('payments', p.id, 'check');
    return 'mine';
  }

  /** Our own cancel or void call on `id`: false while another provider call on it is under way. Taken from
   *  an idle holder if need be (its next check sees the lease is gone and leaves the payment). */
  async beginCall(id: string, call: 'cancel' | 'void'): Promise<boolean> {
    const now = new Date().toISOString();
    if (!(await beginPaymentCall(this.deps.db, id, this.owner, call, now, this.until()))) return false;
    this.hold('payments', id, call);
    return true;
  }

  async endCall(id: string, call: 'cancel' | 'void'): Promise<void> {
    await endPaymentCall(this.deps.db, id, this.owner).catch((err) => this.warn(`could not end ${call} call`, id, err));
    this.let('payments', id, call);
  }

  /** A refund's first call or follow-up: held so no other instance resends it meanwhile. */
  async takeRefund(id: string): Promise<boolean> {
    const now = new Date().toISOString();
    if (!(await takeRefundLease(this.deps.db, id, this.owner, now, this.until()))) return false;
    this.hold('refunds', id, 'refund');
    return true;
  }

  /** Keeps the lease on `id` while `purpose` needs it (the row is already ours). */
  hold(table: LeaseTable, id: string, purpose: Purpose): void {
    let reasons = this.held[table].get(id);
    if (!reasons) this.held[table].set(id, (reasons = new Set()));
    reasons.add(purpose);
  }

  /** `purpose` is done with `id`; with no reason left the lease is let go at once. */
  let(table: LeaseTable, id: string, purpose: Purpose): void {
    const reasons = this.held[table].get(id);
    if (!reasons?.delete(purpose) || reasons.size > 0) return;
    this.held[table].delete(id);
    releaseLease(this.deps.db, table, id, this.owner).catch((err) => this.warn('could not release lease', id, err));
  }

  /** Forgets `id` without touching the row: another instance took it. */
  lost(table: LeaseTable, id: string, purpose: Purpose): void {
    const reasons = this.held[table].get(id);
    reasons?.delete(purpose);
    if (reasons?.size === 0) this.held[table].delete(id);
  }

  holds(table: LeaseTable, id: string): boolean {
    return this.held[table].has(id);
  }

  /** Heartbeat and sweep every third of a lease period; the first sweep now. */
  start(work: DueWork): void {
    this.stopped = false;
    this.work = work;
    const every = Math.max(50, Math.floor(this.deps.leaseMs / 3));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref?.();
    void this.tick();
  }

  /** Graceful shutdown: stop sweeping and let every lease go, so the other instances take the work at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    this.held.payments.clear();
    this.held.refunds.clear();
    await releaseAllLeases(this.deps.db, this.owner).catch((err) => this.warn('could not release leases', undefined, err));
  }

  /** One heartbeat and sweep (tests call it to skip the wait). */
  tick(): Promise<void> {
    if (this.ticking || this.stopped) return this.ticking ?? Promise.resolve();
    this.ticking = this.round()
      .catch((err) => this.warn('lease round failed', undefined, err))
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  private async round(): Promise<void> {
    if (!this.booted && this.deps.dialect === 'sqlite') {
      // SQLite is used by one process at a time: a lease in the file at boot is a dead process's, and its
      // work need not wait out the lease period (on Postgres another live instance may hold it).
      await releaseForeignLeases(this.deps.db, this.owner);
    }
    this.booted = true;
    const until = this.until();
    await renewLeases(this.deps.db, 'payments', this.owner, [...this.held.payments.keys()], until);
    await renewLeases(this.deps.db, 'refunds', this.owner, [...this.held.refunds.keys()], until);
    const work = this.work;
    if (!work || this.stopped) return;
    const now = new Date();
    const q = {
      now: now.toISOString(),
      expiredSince: new Date(now.getTime() - work.lateWindowMs).toISOString(),
      limit: 200,
    };
    for (const c of await claimDuePayments(this.deps.db, this.deps.dialect, this.owner, q, this.until())) {
      this.claimed('payments', c);
      await work.payment(c.id);
      // Nothing to do for it after all (settled meanwhile): free for whoever needs it.
      if (!this.holds('payments', c.id)) await releaseLease(this.deps.db, 'payments', c.id, this.owner);
    }
    for (const c of await claimOpenRefunds(this.deps.db, this.deps.dialect, this.owner, q.now, this.until(), 200)) {
      this.claimed('refunds', c);
      work.refund(c.id);
      if (!this.holds('refunds', c.id)) await releaseLease(this.deps.db, 'refunds', c.id, this.owner);
    }
  }

  private claimed(table: LeaseTable, c: Claimed): void {
    if (c.previousOwner !== null && c.previousOwner !== this.owner) {
      this.deps.tookOver?.(table);
      this.deps.log.info({ table, id: c.id, from: c.previousOwner }, 'took over work from an instance whose lease ran out');
    }
  }

  private warn(msg: string, id: string | undefined, err: unknown): void {
    this.deps.log.warn({ id, err: err instanceof Error ? err.message : String(err) }, msg);
  }
}
