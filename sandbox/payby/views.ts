// The shapes the simulator answers with: PayBy's acquireOrder (spec §6), refundOrder + refundSummary (§5.5),
// and the control view for the wallet page and tests.
import type { Ledger, SimOrder, SimRefund } from './ledger.ts';
import { money, type Obj } from './protocol.ts';

const ZERO = { currency: 'AED', amount: 0 };

export function acquireOrderView(o: SimOrder, payeeMid: string): Obj {
  const view: Obj = {
    merchantOrderNo: o.merchantOrderNo,
    orderNo: o.orderNo,
    status: o.status,
    totalAmount: money(o.amountMinor),
    subject: o.subject,
    paySceneCode: o.paySceneCode,
    paySceneParams: o.paySceneParams,
    payeeMid,
    requestTime: o.requestTime,
    expiredTime: o.expiredTime,
    notifyUrl: o.notifyUrl,
    product: 'Basic Payment Gateway',
    reserved: o.reserved,
    ...o.echo,
    revoked: o.revoked ? 'true' : 'false',
  };
  if (o.status === 'FAILURE' && o.failCode) {
    view.failCode = o.failCode;
    view.failDes = o.failDes;
  }
  // Still present after a revoke of a paid order (spec §5.4).
  if (o.paidTime !== undefined) {
    view.paymentInfo = {
      paidAmount: money(o.amountMinor),
      paidTime: o.paidTime,
      payerMid: o.payerMid,
      payerFeeAmount: ZERO,
      payeeFeeAmount: ZERO,
      payChannel: 'BALANCE',
      settlementAmount: money(o.amountMinor),
    };
  }
  return view;
}

export function refundOrderView(r: SimRefund): Obj {
  return {
    refundMerchantOrderNo: r.refundMerchantOrderNo,
    orderNo: r.orderNo,
    originMerchantOrderNo: r.originMerchantOrderNo,
    originOrderNo: r.originOrderNo,
    status: r.status,
    amount: money(r.amountMinor),
    feeRefunded: ZERO,
    reason: r.reason,
  };
}

export function refundBody(r: SimRefund, order: SimOrder, ledger: Ledger): Obj {
  return {
    refundOrder: refundOrderView(r),
    refundSummary: { acquireAmount: money(order.amountMinor), remainRefundAmount: money(order.amountMinor - ledger.refundedMinor(order)) },
  };
}

/** Control view: plain JSON for the wallet page. `amount` is the major-unit string ("12.50"), as Pockyt's. */
export function controlView(o: SimOrder, storeName?: string): Obj {
  const amount = money(o.amountMinor).amount;
  return {
    merchantOrderNo: o.merchantOrderNo,
    orderNo: o.orderNo,
    // Same names as the Pockyt control view, so the wallet page can treat both alike.
    transactionNo: o.orderNo,
    amount: amount.toFixed(2),
    currency: 'AED',
    status: o.status,
    state: walletState(o),
    mode: o.paySceneCode === 'DYNQR' ? 'mpm' : 'cpm',
    vendor: 'payby',
    storeName,
    subject: o.subject,
    revoked: o.revoked,
    failCode: o.failCode ?? null,
    failDes: o.failDes ?? null,
    expiresAt: new Date(o.expiredTime).toISOString(),
    paidTime: o.paidTime === undefined ? null : new Date(o.paidTime).toISOString(),
    tokenUrlExpiresAt: o.tokenExpiresAt === undefined ? null : new Date(o.tokenExpiresAt).toISOString(),
    declinedAttempts: o.declinedAttempts,
    refunds: o.refunds.map((r) => ({
      refundMerchantOrderNo: r.refundMerchantOrderNo,
      orderNo: r.orderNo,
      amount: money(r.amountMinor).amount.toFixed(2),
      status: r.status,
      viaRevoke: r.viaRevoke,
    })),
    notifications: o.notifications,
  };
}

/** What the payer's phone shows: waiting for them, paid, or over. */
export function walletState(o: SimOrder): 'pending' | 'paid' | 'failed' | 'revoked' {
  if (o.revoked) return 'revoked';
  if (o.status === 'CREATED') return 'pending';
  return o.status === 'FAILURE' ? 'failed' : 'paid';
}
