// The shapes the simulator answers with: Pockyt's transaction object (spec §6.1), the tran-query result
// (§6.5, `status` instead of `transactionStatus`) and the control view for the wallet page and tests.
import { toMajorString } from '../../src/shared/money.ts';
import type { Ledger, SimTxn } from './ledger.ts';
import { utc8 } from './time.ts';

export interface Creds {
  merchantNo: string;
  storeNo: string;
}

const major = (minor: number, currency: string) => toMajorString({ value: minor, currency });

export function txnObject(t: SimTxn, ledger: Ledger, creds: Creds): Record<string, unknown> {
  return {
    transactionNo: t.transactionNo,
    reference: t.reference,
    amount: t.amount,
    currency: t.currency,
    settleCurrency: t.settleCurrency,
    transactionStatus: t.status,
    transactionType: 'payment',
    merchantNo: creds.merchantNo,
    storeNo: creds.storeNo,
    storeAdminNo: t.storeAdminNo ?? null,
    createTime: utc8(t.createTime),
    paymentTime: t.paymentTime === null ? null : utc8(t.paymentTime),
    refundAmount: major(ledger.refundedMinor(t), t.currency),
    voidAmount: '0.00',
    originalTransactionNo: null,
    vendor: t.vendor ?? null,
  };
}

export function queryObject(t: SimTxn, ledger: Ledger): Record<string, unknown> {
  return {
    transactionNo: t.transactionNo,
    reference: t.reference,
    amount: t.amount,
    currency: t.currency,
    settleCurrency: t.settleCurrency,
    status: t.status,
    transactionType: 'payment',
    vendor: t.vendor ?? null,
    createTime: utc8(t.createTime),
    paymentTime: t.paymentTime === null ? null : utc8(t.paymentTime),
    refundAmount: major(ledger.refundedMinor(t), t.currency),
    refundInfo: t.refunds.map((r) => ({
      refundTransactionId: r.refundTransactionNo,
      refundReference: r.refundReference,
      refundAmount: r.refundAmount,
      refundRmbAmount: null,
      currency: t.currency,
      settleCurrency: t.settleCurrency,
    })),
  };
}

/** Control view: plain JSON for the wallet page. `amount` is Pockyt's major-unit string ("12.50"). */
export function controlView(t: SimTxn, ledger: Ledger, storeName?: string): Record<string, unknown> {
  return {
    transactionNo: t.transactionNo,
    reference: t.reference,
    amount: t.amount,
    currency: t.currency,
    status: t.status,
    mode: t.mode,
    vendor: t.vendor ?? null,
    storeName,
    paymentBarcode: t.paymentBarcode ?? null,
    createTime: new Date(t.createTime).toISOString(),
    paymentTime: t.paymentTime === null ? null : new Date(t.paymentTime).toISOString(),
    closesAt: new Date(t.createTime + t.timeoutMin * ledger.minuteMs).toISOString(),
    refundAmount: major(ledger.refundedMinor(t), t.currency),
    refunds: t.refunds.map((r) => ({
      refundTransactionNo: r.refundTransactionNo,
      refundReference: r.refundReference,
      refundAmount: r.refundAmount,
      viaCancel: r.viaCancel,
    })),
    deepLink: t.deepLink ?? null,
    ipn: t.ipn ?? null,
  };
}
