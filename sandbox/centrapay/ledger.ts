// In-memory state of the Centrapay simulator: payment requests with their activities, patron codes issued
// by the wallet page, and the timers that move requests (expiry, scenario delays). Every change goes
// through here so the activity list, the status and the notifications never disagree.
import { randomChars, randomDigits } from '../common/random.ts';
import type { SimTimers } from '../common/timers.ts';
import type { DeliveryLog } from '../common/delivery.ts';
import { withLuhnDigit } from '../../src/shared/classify.ts';
import { TEST_SCENARIOS, type Scenario } from './scenarios.ts';

export type SimStatus = 'new' | 'paid' | 'cancelled' | 'expired';

export interface SimActivity {
  /** The Payment Activity model's `id` (32 hex characters in the docs' pay example). */
  id: string;
  number: number;
  type: 'request' | 'payment' | 'paid' | 'refund' | 'cancellation' | 'expiry' | 'accept-condition' | 'decline-condition';
  valueMinor: number;
  assetType?: string;
  createdAt: number;
  cancellationReason?: string;
  conditionId?: string;
  externalRef?: string;
  /** Request fields the docs' examples echo back on the activity (refund: invoiceRef, lineItems;
   *  pay: idempotencyKey, mode, externalPaymentRef). */
  echo?: Record<string, unknown>;
}

export interface SimCondition {
  id: string;
  name: string;
  message: string;
  status: 'awaiting-merchant' | 'awaiting-patron' | 'accepted' | 'declined' | 'void';
}

export interface NotificationLog extends DeliveryLog {
  id: string;
  type: string;
}

export interface SimRequest {
  id: string;
  shortCode: string;
  valueMinor: number;
  currency: string;
  status: SimStatus;
  mode: 'cpm' | 'mpm';
  barcode?: string;
  patronCodeId?: string;
  scenario: Scenario;
  assetType: string;
  refs: Partial<Record<'externalRef' | 'terminalId' | 'deviceId' | 'operatorId' | 'invoiceRef' | 'purchaseOrderRef', string>>;
  conditionsEnabled: boolean;
  /** Create-body fields echoed as given: lineItems, barcodeType, patronNotPresent. */
  echo: Record<string, unknown>;
  conditions: SimCondition[];
  expirySeconds: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  cancellationReason?: string;
  paidAt?: number;
  /** The (simulated) patron account that paid: `paidBy.assetTotals[].payerAccountId`. */
  payerAccountId?: string;
  polls: number;
  activities: SimActivity[];
  /** `pay` idempotency keys → the payment activity they produced (§9). */
  payKeys: Map<string, SimActivity>;
  notifications: NotificationLog[];
}

export interface PatronCode {
  id: string;
  code: string;
  issuedAt: number;
  expiresAt: number;
  requestId?: string;
}

type NewRequest = Pick<
  SimRequest,
  | 'valueMinor'
  | 'currency'
  | 'mode'
  | 'barcode'
  | 'patronCodeId'
  | 'scenario'
  | 'assetType'
  | 'refs'
  | 'conditionsEnabled'
  | 'echo'
  | 'expirySeconds'
>;

const SHORT = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const HEX = '0123456789abcdef';

export class Ledger {
  readonly requests = new Map<string, SimRequest>();
  private readonly codes = new Map<string, PatronCode>();

  constructor(private readonly opts: { timers: SimTimers; secondMs: number; onActivity: (r: SimRequest, a: SimActivity) => void }) {}

  get secondMs(): number {
    return this.opts.secondMs;
  }

  create(fields: NewRequest): SimRequest {
    let id: string;
    do id = randomChars(22);
    while (this.requests.has(id));
    const now = Date.now();
    const r: SimRequest = {
      ...fields,
      id,
      shortCode: `CP-${randomChars(3, SHORT)}-${randomChars(3, SHORT)}`,
      status: 'new',
      conditions: [],
      createdAt: now,
      updatedAt: now,
      expiresAt: now + fields.expirySeconds * this.opts.secondMs,
      polls: 0,
      activities: [],
      payKeys: new Map(),
      notifications: [],
    };
    this.requests.set(id, r);
    this.record(r, { type: 'request', valueMinor: r.valueMinor });
    // `expired` at expiresAt (§7), on the simulator's compressible clock.
    this.opts.timers.after(r.expiresAt - now, () => this.refresh(r));
    return r;
  }

  /** Applies expiry lazily too, so a read right at expiresAt never shows a stale `new`. */
  refresh(r: SimRequest): SimRequest {
    if (r.status === 'new' && Date.now() >= r.expiresAt) {
      r.status = 'expired';
      this.record(r, { type: 'expiry', valueMinor: r.valueMinor });
    }
    return r;
  }

  find(id: string): SimRequest | undefined {
    const r = this.requests.get(id);
    return r && this.refresh(r);
  }

  /** Newest first, as the external-ref and short-code lookups answer. */
  filter(pred: (r: SimRequest) => boolean): SimRequest[] {
    // Map order is creation order; reversed + a stable sort keeps same-millisecond requests newest first.
    return [...this.requests.values()]
      .reverse()
      .filter(pred)
      .map((r) => this.refresh(r))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  private record(r: SimRequest, a: Omit<SimActivity, 'id' | 'number' | 'createdAt'>): SimActivity {
    const activity: SimActivity = { ...a, id: randomChars(32, HEX), number: r.activities.length + 1, createdAt: Date.now() };
    r.activities.push(activity);
    r.updatedAt = activity.createdAt;
    this.opts.onActivity(r, activity);
    return activity;
  }

  /** The patron (or a Quick Pay asset) pays in full. Only from `new`; returns the payment activity. */
  pay(r: SimRequest, assetType = r.assetType): SimActivity | undefined {
    if (this.refresh(r).status !== 'new') return undefined;
    r.status = 'paid';
    r.paidAt = Date.now();
    r.payerAccountId = randomChars(22);
    r.assetType = assetType;
    for (const c of r.conditions) if (c.status === 'awaiting-merchant') c.status = 'void';
    const payment = this.record(r, { type: 'payment', valueMinor: r.valueMinor, assetType });
    this.record(r, { type: 'paid', valueMinor: r.valueMinor, assetType });
    return payment;
  }

  cancel(r: SimRequest, reason: string): SimActivity | undefined {
    if (this.refresh(r).status !== 'new') return undefined;
    r.status = 'cancelled';
    r.cancellationReason = reason;
    for (const c of r.conditions) if (c.status === 'awaiting-merchant') c.status = 'void';
    return this.record(r, { type: 'cancellation', valueMinor: r.valueMinor, cancellationReason: reason });
  }

  /** A refund activity; the request stays `paid` (simulator choice for the unconfirmed §5.6 question). */
  refund(r: SimRequest, minor: number, externalRef: string, echo?: Record<string, unknown>): SimActivity {
    return this.record(r, { type: 'refund', valueMinor: minor, assetType: r.assetType, externalRef, echo });
  }

  conditionActivity(r: SimRequest, c: SimCondition, accepted: boolean): SimActivity {
    c.status = accepted ? 'accepted' : 'declined';
    return this.record(r, { type: accepted ? 'accept-condition' : 'decline-condition', valueMinor: r.valueMinor, conditionId: c.id });
  }

  refundedMinor(r: SimRequest): number {
    return r.activities.filter((a) => a.type === 'refund').reduce((s, a) => s + a.valueMinor, 0);
  }

  issueCode(ttlMs: number): PatronCode {
    // Prefix 999000 (the docs' example), Luhn-valid; never a test-scenario suffix — a wallet code must wait
    // for the patron, not act on its own.
    for (;;) {
      const code = withLuhnDigit(`999000${randomDigits(9)}`);
      if (TEST_SCENARIOS[code.slice(11, 15)] || this.codes.has(code)) continue;
      const now = Date.now();
      const pc: PatronCode = { id: randomChars(22), code, issuedAt: now, expiresAt: now + ttlMs };
      this.codes.set(code, pc);
      return pc;
    }
  }

  patronCode(code: string): PatronCode | undefined {
    return this.codes.get(code);
  }

  codeState(pc: PatronCode): 'issued' | 'used' | 'expired' {
    if (pc.requestId) return 'used';
    return Date.now() > pc.expiresAt ? 'expired' : 'issued';
  }
}
