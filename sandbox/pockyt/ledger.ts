// In-memory state of the Pockyt simulator: transactions, refunds, wallet codes and the timers that move
// them (close after `timeout`, scenario delays). Status changes go through setStatus so every final
// status triggers the IPN exactly once.
import type { PockytStatus } from '../../server/providers/pockyt/mapping.ts';
import { randomDigits } from '../common/random.ts';
import type { SimTimers } from '../common/timers.ts';

export type SimVendor = 'alipay' | 'wechatpay';

export interface SimRefund {
  refundTransactionNo: string;
  /** Optional in the docs' refund reference and every official SDK: absent = no idempotency key. */
  refundReference: string | null;
  refundAmount: string;
  refundMinor: number;
  viaCancel: boolean;
  createTime: number;
}

export interface IpnLog {
  status: PockytStatus;
  attempts: number;
  delivered: boolean;
  lastResult?: string;
}

export interface SimTxn {
  transactionNo: string;
  reference: string;
  amount: string;
  amountMinor: number;
  currency: string;
  settleCurrency: string;
  status: PockytStatus;
  mode: 'cpm' | 'mpm';
  vendor?: SimVendor;
  paymentBarcode?: string;
  vendorId?: string;
  storeAdminNo?: string;
  timeoutMin: number;
  ipnUrl?: string;
  deepLink?: string;
  qrcodeUrl?: string;
  createTime: number;
  paymentTime: number | null;
  refunds: SimRefund[];
  ipn?: IpnLog;
}

export interface WalletCode {
  code: string;
  vendor: SimVendor;
  issuedAt: number;
  expiresAt: number;
  transactionNo?: string;
}

const FINAL: readonly PockytStatus[] = ['success', 'failed', 'closed'];
const NEXT: Record<PockytStatus, readonly PockytStatus[]> = {
  init: ['dealing', 'pending', 'success', 'failed', 'closed'],
  dealing: ['pending', 'success', 'failed', 'closed'],
  pending: ['success', 'failed', 'closed'],
  success: [],
  failed: [],
  closed: [],
};

export class Ledger {
  readonly txns = new Map<string, SimTxn>();
  private readonly byRef = new Map<string, SimTxn>();
  private readonly codes = new Map<string, WalletCode>();
  private readonly refundNos = new Set<string>();
  // Timers are the plugin's (common/sim-timers.ts): they die with the simulator, so does every close/scenario.
  constructor(private readonly opts: { timers: SimTimers; minuteMs: number; onFinal: (t: SimTxn) => void }) {}

  private uniqueNo(): string {
    for (;;) {
      const no = '3' + randomDigits(17);
      if (!this.txns.has(no) && !this.refundNos.has(no)) return no;
    }
  }

  /** Refunds get ids from the same space as payments, never colliding with one. */
  newRefundNo(): string {
    for (;;) {
      const no = this.uniqueNo();
      if (!this.refundNos.has(no)) {
        this.refundNos.add(no);
        return no;
      }
    }
  }

  hasReference(reference: string): boolean {
    return this.byRef.has(reference);
  }

  create(fields: Omit<SimTxn, 'transactionNo' | 'status' | 'createTime' | 'paymentTime' | 'refunds'>): SimTxn {
    const txn: SimTxn = {
      ...fields,
      transactionNo: this.uniqueNo(),
      status: 'init',
      createTime: Date.now(),
      paymentTime: null,
      refunds: [],
    };
    this.txns.set(txn.transactionNo, txn);
    this.byRef.set(txn.reference, txn);
    // Pockyt closes a transaction nobody paid once `timeout` minutes pass (spec §8).
    this.opts.timers.after(txn.timeoutMin * this.opts.minuteMs, () => {
      if (txn.status === 'init' || txn.status === 'dealing' || txn.status === 'pending') this.setStatus(txn, 'closed');
    });
    return txn;
  }

  find(by: { transactionNo?: string; reference?: string }): SimTxn | undefined {
    return by.transactionNo !== undefined ? this.txns.get(by.transactionNo) : this.byRef.get(by.reference ?? '');
  }

  /** Applies an allowed transition; returns false (and changes nothing) otherwise. */
  setStatus(txn: SimTxn, status: PockytStatus): boolean {
    if (!NEXT[txn.status].includes(status)) return false;
    txn.status = status;
    if (status === 'success') {
      txn.paymentTime = Date.now();
      txn.vendorId ??= '2' + randomDigits(27);
    }
    if (FINAL.includes(status)) this.opts.onFinal(txn);
    return true;
  }

  refundedMinor(txn: SimTxn): number {
    return txn.refunds.reduce((s, r) => s + r.refundMinor, 0);
  }

  issueCode(vendor: SimVendor, ttlMs: number): WalletCode {
    // Alipay codes start 25–30, WeChat Pay 10–15, both 18 digits (DESIGN §8). Never hand out a test-code
    // suffix: a wallet code must wait for the customer, not auto-approve.
    for (;;) {
      const code = (vendor === 'alipay' ? '28' : '13') + randomDigits(16);
      if (/000[1-5]$/.test(code) || this.codes.has(code)) continue;
      const now = Date.now();
      const wc: WalletCode = { code, vendor, issuedAt: now, expiresAt: now + ttlMs };
      this.codes.set(code, wc);
      return wc;
    }
  }

  walletCode(code: string): WalletCode | undefined {
    return this.codes.get(code);
  }

  codeState(wc: WalletCode): 'issued' | 'used' | 'expired' {
    if (wc.transactionNo) return 'used';
    return Date.now() > wc.expiresAt ? 'expired' : 'issued';
  }

  get minuteMs(): number {
    return this.opts.minuteMs;
  }
}
