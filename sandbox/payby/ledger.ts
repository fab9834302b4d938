// In-memory state of the PayBy simulator: acquire orders, refund orders, wallet authCodes, DYNQR tokens and the
// timers that move them. Status changes go through setStatus (the spec §7 state machine), so every payment
// reaching PAID_SUCCESS notifies exactly once; expiry follows the simulator clock.
import type { PayByStatus } from '../../server/providers/payby/mapping.ts';
import { randomDigits } from '../common/random.ts';
import type { SimTimers } from '../common/timers.ts';
import type { SimClock } from './clock.ts';

export interface NotifyLog {
  notifyId: string;
  kind: 'payment' | 'refund';
  attempts: number;
  delivered: boolean;
  lastResult?: string;
}

export interface SimRefund {
  orderNo: string;
  refundMerchantOrderNo: string;
  originOrderNo: string;
  originMerchantOrderNo: string;
  amountMinor: number;
  status: 'CREATED' | 'REFUNDED_SETTLED' | 'SUCCESS' | 'FAILURE';
  reason?: string;
  notifyUrl?: string;
  /** Canonical parameters: the same refund number with other parameters is 62017. */
  fingerprint: string;
  viaRevoke: boolean;
  createTime: number;
  notifications: NotifyLog[];
}

export interface SimOrder {
  orderNo: string;
  merchantOrderNo: string;
  subject: string;
  amountMinor: number;
  paySceneCode: 'QRPAY' | 'DYNQR';
  paySceneParams: Record<string, unknown>;
  requestTime: number;
  expiredTime: number;
  notifyUrl?: string;
  reserved?: string;
  /** Optional fields echoed in acquireOrder as the docs' example shows them (accessoryContent, deviceId,
   *  secondaryMerchantId, subjectAr), Money amounts in PayBy's number form. */
  echo: Record<string, unknown>;
  /** Canonical bizContent: the same number with other parameters is 62016 (spec §10). */
  fingerprint: string;
  status: PayByStatus;
  revoked: boolean;
  failCode?: string;
  failDes?: string;
  paidTime?: number;
  payerMid?: string;
  token?: string;
  tokenExpiresAt?: number;
  /** DYNQR attempts the payer declined while the order stayed open (oneTimePayment=false). */
  declinedAttempts: number;
  refunds: SimRefund[];
  notifications: NotifyLog[];
}

export interface AuthCode {
  code: string;
  issuedAt: number;
  expiresAt: number;
  orderNo?: string;
}

const NEXT: Record<PayByStatus, readonly PayByStatus[]> = {
  CREATED: ['PAID_SUCCESS', 'FAILURE'],
  PAID_SUCCESS: ['SETTLED', 'FAILURE'],
  SETTLED: [],
  FAILURE: [],
};

export interface LedgerHooks {
  onPaid(order: SimOrder): void;
  onRefundDone(refund: SimRefund): void;
}

export class Ledger {
  readonly orders = new Map<string, SimOrder>();
  private readonly byMerchantNo = new Map<string, SimOrder>();
  private readonly byToken = new Map<string, SimOrder>();
  readonly refunds = new Map<string, SimRefund>();
  private readonly refundsByNo = new Map<string, SimRefund>();
  private readonly codes = new Map<string, AuthCode>();
  // Timers are the plugin's (common/sim-timers.ts): expiry and refund completion die with the simulator.
  constructor(
    readonly clock: SimClock,
    private readonly timers: SimTimers,
    private readonly hooks: LedgerHooks,
  ) {}

  /** PayBy order numbers look like 131658300517875854: 18 digits. Refunds share the space. */
  private newNo(): string {
    for (;;) {
      const no = '13' + randomDigits(16);
      if (!this.orders.has(no) && !this.refundsByNo.has(no)) return no;
    }
  }

  create(fields: Omit<SimOrder, 'orderNo' | 'status' | 'revoked' | 'declinedAttempts' | 'refunds' | 'notifications'>): SimOrder {
    const order: SimOrder = {
      ...fields,
      orderNo: this.newNo(),
      status: 'CREATED',
      revoked: false,
      declinedAttempts: 0,
      refunds: [],
      notifications: [],
    };
    this.orders.set(order.orderNo, order);
    this.byMerchantNo.set(order.merchantOrderNo, order);
    if (order.token) this.byToken.set(order.token, order);
    this.scheduleExpiry(order);
    return order;
  }

  private scheduleExpiry(order: SimOrder): void {
    this.timers.after(Math.max(0, order.expiredTime - this.clock.now()) + 5, () => this.touch(order));
  }

  /** Applies expiry lazily: an unpaid order past its expiredTime is FAILURE (spec §7). */
  touch(order: SimOrder): SimOrder {
    // failCode 504 / SERVICE_TIMEOUT: the spec's example failure cause (§6), read here as "expired" (INFERRED).
    if (order.status === 'CREATED' && this.clock.now() >= order.expiredTime)
      this.setStatus(order, 'FAILURE', { failCode: '504', failDes: 'SERVICE_TIMEOUT' });
    return order;
  }

  sweep(): void {
    for (const o of this.orders.values()) this.touch(o);
  }

  find(by: { merchantOrderNo?: string; orderNo?: string }): SimOrder | undefined {
    const o = by.orderNo !== undefined ? this.orders.get(by.orderNo) : this.byMerchantNo.get(by.merchantOrderNo ?? '');
    return o && this.touch(o);
  }

  byTokenOf(token: string): SimOrder | undefined {
    const o = this.byToken.get(token);
    return o && this.touch(o);
  }

  /** Applies an allowed transition; returns false (and changes nothing) otherwise. */
  setStatus(order: SimOrder, to: PayByStatus, extra: { failCode?: string; failDes?: string } = {}): boolean {
    if (!NEXT[order.status].includes(to)) return false;
    order.status = to;
    if (to === 'PAID_SUCCESS') {
      order.paidTime = this.clock.now();
      order.payerMid ??= '2000' + randomDigits(8);
      this.hooks.onPaid(order);
    }
    if (to === 'FAILURE' && order.paidTime === undefined) {
      order.failCode = extra.failCode;
      order.failDes = extra.failDes;
    }
    return true;
  }

  refundedMinor(order: SimOrder): number {
    return order.refunds.filter((r) => r.status !== 'FAILURE').reduce((s, r) => s + r.amountMinor, 0);
  }

  addRefund(
    order: SimOrder,
    fields: Pick<SimRefund, 'refundMerchantOrderNo' | 'amountMinor' | 'reason' | 'notifyUrl' | 'fingerprint' | 'viaRevoke'>,
    completeMs: number,
  ): SimRefund {
    const refund: SimRefund = {
      ...fields,
      orderNo: this.newNo(),
      originOrderNo: order.orderNo,
      originMerchantOrderNo: order.merchantOrderNo,
      status: 'REFUNDED_SETTLED',
      createTime: this.clock.now(),
      notifications: [],
    };
    order.refunds.push(refund);
    this.refunds.set(refund.refundMerchantOrderNo, refund);
    this.refundsByNo.set(refund.orderNo, refund);
    // Taken from the merchant balance at once; reaching the payer takes a little longer (spec §5.5).
    this.timers.after(completeMs, () => {
      if (refund.status !== 'REFUNDED_SETTLED') return;
      refund.status = 'SUCCESS';
      this.hooks.onRefundDone(refund);
    });
    return refund;
  }

  findRefund(by: { refundMerchantOrderNo?: string; orderNo?: string }): SimRefund | undefined {
    return by.orderNo !== undefined ? this.refundsByNo.get(by.orderNo) : this.refunds.get(by.refundMerchantOrderNo ?? '');
  }

  issueCode(ttlMs: number): AuthCode {
    // Shaped like the spec's example 20007900T400690098F; never one of the test prefixes.
    for (;;) {
      const code = `2000${randomDigits(4)}T${randomDigits(9)}F`;
      if (this.codes.has(code)) continue;
      const now = this.clock.now();
      const ac: AuthCode = { code, issuedAt: now, expiresAt: now + ttlMs };
      this.codes.set(code, ac);
      return ac;
    }
  }

  authCode(code: string): AuthCode | undefined {
    return this.codes.get(code);
  }

  codeState(ac: AuthCode): 'issued' | 'used' | 'expired' {
    if (ac.orderNo) return 'used';
    return this.clock.now() > ac.expiresAt ? 'expired' : 'issued';
  }
}
