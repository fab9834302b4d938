// PayBy acquire2 adapter: our PaymentAdapter contract over PayBy's signed envelope (spec providers/payby.md).
// Declines come back as verdicts; a thrown ProviderError means "no verdict" and says whether money may have
// moved. Nothing PayBy says is believed before its signature verifies (http.ts).
import type { Money } from '../../../src/shared/money.ts';
import { ProviderError, type PaymentAdapter, type ProviderRef, type ProviderVerdict, type RefundRequest } from '../types.ts';
import type { HttpObserver } from '../http.ts';
import { paybyPost, type PayByResponse } from './http.ts';
import {
  classifyHeadCode,
  declineReason,
  fromPayByAmount,
  isPayByStatus,
  isValidMerchantOrderNo,
  mapOrderStatus,
  paybySubject,
  REFUND_STATUS_MAP,
  toPayByAmount,
  type PayByOperation,
} from './mapping.ts';
import { loadPrivateKey, loadPublicKey } from './signing.ts';

export interface PayByConfig {
  baseUrl: string;
  partnerId: string;
  privateKeyPem: string;
  platformPublicKeyPem: string;
  /** Every call except placeOrder; default 10000 (spec §11). */
  timeoutMs?: number;
  /** placeOrder read timeout; default 25000 (spec §11), or timeoutMs when only that is set. */
  placeOrderTimeoutMs?: number;
  /** Customer's time to pay; also the DYNQR order's `expiredTime`. Default 120000. */
  confirmWindowMs?: number;
  /** Notification URL for QRPAY orders and refunds (DYNQR uses the request's notifyUrl). */
  notifyUrl?: string;
  /** Told about every HTTP exchange (the app's metrics). */
  observer?: HttpObserver;
}

export interface PayByRefundResult {
  status: 'succeeded' | 'failed' | 'pending';
  providerRef?: string;
  raw: unknown;
}

/** PaymentAdapter plus PayBy's own recovery tools (spec §5.4, §5.6). */
export interface PayByAdapter extends PaymentAdapter {
  /** revokeOrder: reverses a paid order (refund) or closes an unpaid one. */
  revoke(ref: ProviderRef): Promise<ProviderVerdict>;
  /** refund/getOrder by our refund reference; null when PayBy has no such refund. */
  queryRefund(refundReference: string): Promise<PayByRefundResult | null>;
}

export const PAYBY_PATHS = {
  placeOrder: '/acquire2/placeOrder',
  getOrder: '/acquire2/getOrder',
  cancelOrder: '/acquire2/cancelOrder',
  revokeOrder: '/acquire2/revokeOrder',
  refund: '/acquire2/refund/placeOrder',
  refundQuery: '/acquire2/refund/getOrder',
} as const;

// A QRPAY order outlives our confirmation window a little, so our cancel (not PayBy's expiry) closes it.
const QRPAY_EXPIRY_MARGIN_MS = 60_000;

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

function refused(code: string, message: string): ProviderError {
  return new ProviderError(code, message, { outcomeUnknown: false });
}

function headError(res: PayByResponse, op: PayByOperation, providerRef?: string): ProviderError {
  if (res.head.applyStatus === 'ERROR') {
    return new ProviderError(
      'payby_sign_rejected',
      `PayBy ${op} refused our signature (${res.head.code} ${res.head.msg}): check that PAYBY_PRIVATE_KEY_FILE matches the public key uploaded to PayBy`,
      {
        outcomeUnknown: false,
        providerRef,
        raw: auditCopy(res),
      },
    );
  }
  const kind = classifyHeadCode(res.head.code, op);
  const outcomeUnknown = kind === 'unknown' || (kind === 'ok' && op !== 'getOrder');
  return new ProviderError(`payby_${res.head.code}`, `PayBy ${op}: ${res.head.code} ${res.head.msg}`.trim(), {
    outcomeUnknown,
    providerRef,
    raw: auditCopy(res),
  });
}

/** `body` exists only on applyStatus SUCCESS + code 0 (§2); anything else with code 0 is malformed. */
function succeeded(res: PayByResponse): boolean {
  return res.head.code === '0' && res.head.applyStatus === 'SUCCESS' && res.body !== undefined;
}

function assertAed(amount: Money): void {
  if (amount.currency !== 'AED') throw refused('unsupported_currency', `PayBy takes AED only, not ${amount.currency}`);
}

/** Money → PayBy's JSON number, refusing (before any call) what PayBy could not represent. */
function wireAmount(amount: Money): { currency: string; amount: number } {
  try {
    return toPayByAmount(amount);
  } catch (err) {
    throw refused('invalid_amount', (err as Error).message);
  }
}

function assertOrderNo(value: string, what: string): void {
  if (!isValidMerchantOrderNo(value))
    throw refused('invalid_reference', `${what} ${JSON.stringify(value)} is not a PayBy order number (≤ 64 letters, digits, - or _)`);
}

function idFields(ref: ProviderRef): Obj {
  // "Either, never both" (§4): PayBy's own orderNo is the sharper key once we have it.
  return ref.providerRef ? { orderNo: ref.providerRef } : { merchantOrderNo: ref.reference };
}

/** What we keep of an answer for audit: everything except the customer's one-time authCode, which PayBy
 *  echoes in paySceneParams and which is a bearer token until used. */
export function auditCopy(res: PayByResponse): unknown {
  return JSON.parse(JSON.stringify(res), (k, v: unknown) =>
    k === 'authCode' && typeof v === 'string'
      ? v.length <= 8
        ? '*'.repeat(v.length)
        : `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`
      : v,
  );
}

/** acquireOrder → verdict, after checking it is the order we asked about. */
function verdictOf(res: PayByResponse, reference: string, opts: { expect?: Money; fallbackRef?: string } = {}): ProviderVerdict {
  const order = obj(res.body?.acquireOrder);
  const providerRef = str(order?.orderNo) ?? opts.fallbackRef;
  const fail = (code: string, message: string) =>
    new ProviderError(code, message, { outcomeUnknown: true, providerRef, raw: auditCopy(res) });
  if (!order) throw fail('payby_bad_response', 'PayBy answered without an acquireOrder');
  if (order.merchantOrderNo !== reference)
    throw fail('payby_mismatch', `PayBy answered about order ${String(order.merchantOrderNo)}, not ${reference}`);
  if (!isPayByStatus(order.status))
    throw fail('payby_bad_status', `PayBy returned an unknown order status ${JSON.stringify(order.status)}`);
  if (opts.expect) {
    const total = fromPayByAmount(order.totalAmount);
    if (!total || total.currency !== opts.expect.currency || total.value !== opts.expect.value) {
      throw fail(
        'payby_amount_mismatch',
        `PayBy order is for ${JSON.stringify(order.totalAmount)}, expected ${opts.expect.value} minor ${opts.expect.currency}`,
      );
    }
  }
  const expiredTime = typeof order.expiredTime === 'number' ? order.expiredTime : undefined;
  const failCode = typeof order.failCode === 'number' ? String(order.failCode) : str(order.failCode);
  const failDes = str(order.failDes);
  const status = mapOrderStatus({
    status: order.status,
    revoked: order.revoked === 'true' || order.revoked === true,
    paid: obj(order.paymentInfo) !== undefined,
    failCode,
    failDes,
    expiredTime,
  });
  const failure = status === 'failed' ? declineReason(failCode, failDes) : undefined;
  return { status, providerRef, amount: fromPayByAmount(order.totalAmount), failure, raw: auditCopy(res) };
}

export function createPayByAdapter(cfg: PayByConfig): PayByAdapter {
  // Keys are parsed once, at wiring time, so a bad key file fails at boot and not at the first sale.
  const privateKey = loadPrivateKey(cfg.privateKeyPem, 'PayBy merchant private key');
  const platformPublicKey = loadPublicKey(cfg.platformPublicKeyPem, 'PayBy platform public key');
  const timeoutMs = cfg.timeoutMs ?? 10_000;
  const placeOrderTimeoutMs = cfg.placeOrderTimeoutMs ?? cfg.timeoutMs ?? 25_000;
  const confirmWindowMs = cfg.confirmWindowMs ?? 120_000;

  const call = (path: string, biz: Obj, ms = timeoutMs) =>
    paybyPost(path, biz, {
      baseUrl: cfg.baseUrl,
      partnerId: cfg.partnerId,
      privateKey,
      platformPublicKey,
      timeoutMs: ms,
      observer: cfg.observer,
    });

  async function query(ref: ProviderRef): Promise<ProviderVerdict | null> {
    const res = await call(PAYBY_PATHS.getOrder, idFields(ref));
    if (succeeded(res)) return verdictOf(res, ref.reference, { fallbackRef: ref.providerRef });
    if (classifyHeadCode(res.head.code, 'getOrder') === 'not_found' && res.head.applyStatus !== 'ERROR') return null;
    throw headError(res, 'getOrder', ref.providerRef);
  }

  async function placeOrder(reference: string, amount: Money, biz: Obj): Promise<{ res: PayByResponse; verdict: ProviderVerdict }> {
    const { subject, ...rest } = biz;
    const res = await call(
      PAYBY_PATHS.placeOrder,
      { merchantOrderNo: reference, subject, totalAmount: wireAmount(amount), ...rest },
      placeOrderTimeoutMs,
    );
    if (succeeded(res)) return { res, verdict: verdictOf(res, reference, { expect: amount }) };
    const kind = res.head.applyStatus === 'ERROR' ? 'refused' : classifyHeadCode(res.head.code, 'placeOrder');
    // The number already names a final order (a retry after a lost answer): its truth is our answer.
    if (kind === 'state') {
      const found = await call(PAYBY_PATHS.getOrder, { merchantOrderNo: reference });
      if (succeeded(found)) return { res: found, verdict: verdictOf(found, reference, { expect: amount }) };
    }
    if (kind === 'decline')
      return { res, verdict: { status: 'failed', failure: declineReason(res.head.code, res.head.msg), raw: auditCopy(res) } };
    throw headError(res, 'placeOrder');
  }

  async function revoke(ref: ProviderRef): Promise<ProviderVerdict> {
    const res = await call(PAYBY_PATHS.revokeOrder, idFields(ref));
    if (!succeeded(res)) {
      if (classifyHeadCode(res.head.code, 'revokeOrder') === 'not_found' && res.head.applyStatus !== 'ERROR') {
        return { status: 'cancelled', providerRef: ref.providerRef, raw: auditCopy(res) };
      }
      throw headError(res, 'revokeOrder', ref.providerRef);
    }
    const verdict = verdictOf(res, ref.reference, { fallbackRef: ref.providerRef });
    // Revocation progress is not observable (§5.4): only a revoked or closed order counts as done.
    if (verdict.status === 'succeeded' || verdict.status === 'pending') {
      throw new ProviderError('payby_revoke_unconfirmed', 'PayBy accepted the revoke but the order is not revoked yet; query again', {
        outcomeUnknown: true,
        providerRef: verdict.providerRef,
        raw: auditCopy(res),
      });
    }
    return verdict;
  }

  return {
    name: 'payby',
    currencies: ['AED'],
    cpmVendors: ['payby'],
    confirmWindowMs,

    async chargeCode(req) {
      assertAed(req.amount);
      assertOrderNo(req.reference, 'reference');
      if (!/^[0-9A-Za-z]{1,64}$/.test(req.code))
        throw refused('invalid_code', 'This is not a PayBy payment code — ask the customer to show the code in PayBy');
      const { verdict } = await placeOrder(req.reference, req.amount, {
        subject: paybySubject(req.description),
        paySceneCode: 'QRPAY',
        paySceneParams: { authCode: req.code },
        expiredTime: Date.now() + confirmWindowMs + QRPAY_EXPIRY_MARGIN_MS,
        notifyUrl: cfg.notifyUrl,
      });
      return verdict;
    },

    async createQr(req) {
      assertAed(req.amount);
      assertOrderNo(req.reference, 'reference');
      if (req.vendor !== undefined && req.vendor !== 'payby')
        throw refused('vendor_not_supported', `PayBy merchant QR is paid with PayBy, not ${req.vendor}`);
      const expiredTime = Date.now() + confirmWindowMs;
      const { res, verdict } = await placeOrder(req.reference, req.amount, {
        subject: paybySubject(req.description),
        paySceneCode: 'DYNQR',
        expiredTime,
        notifyUrl: req.notifyUrl ?? cfg.notifyUrl,
      });
      if (verdict.status !== 'pending') return verdict;
      // Both spellings occur in PayBy's docs (§5.1).
      const params = obj(res.body?.interactionParams) ?? obj(res.body?.interActionParams);
      const tokenUrl = str(params?.tokenUrl);
      if (!tokenUrl) {
        throw new ProviderError('payby_bad_response', 'PayBy created the DYNQR order but returned no tokenUrl', {
          outcomeUnknown: true,
          providerRef: verdict.providerRef,
          raw: auditCopy(res),
        });
      }
      const order = obj(res.body?.acquireOrder);
      const expiresAt = new Date(typeof order?.expiredTime === 'number' ? order.expiredTime : expiredTime).toISOString();
      return { ...verdict, qr: { payload: tokenUrl, expiresAt } };
    },

    query,

    async cancel(ref) {
      let res: PayByResponse;
      try {
        res = await call(PAYBY_PATHS.cancelOrder, idFields(ref));
      } catch (err) {
        // Cancel failed without a verdict: revoke closes an unpaid order just as well and also reverses a
        // payment that slipped in (recipe §12.3).
        if (err instanceof ProviderError && err.outcomeUnknown) return revoke(ref);
        throw err;
      }
      if (succeeded(res)) return verdictOf(res, ref.reference, { fallbackRef: ref.providerRef });
      const kind = res.head.applyStatus === 'ERROR' ? 'refused' : classifyHeadCode(res.head.code, 'cancelOrder');
      if (kind === 'not_found') return { status: 'cancelled', providerRef: ref.providerRef, raw: auditCopy(res) };
      // Paid meanwhile: the sale is being abandoned, so the money goes back.
      if (res.head.code === '62001' || res.head.code === '62003') return revoke(ref);
      if (res.head.code === '62002')
        return (await query(ref)) ?? { status: 'cancelled', providerRef: ref.providerRef, raw: auditCopy(res) };
      if (kind === 'unknown') return revoke(ref);
      throw headError(res, 'cancelOrder', ref.providerRef);
    },

    revoke,

    async refund(req: RefundRequest) {
      assertAed(req.amount);
      assertOrderNo(req.refundReference, 'refundReference');
      const res = await call(PAYBY_PATHS.refund, {
        refundMerchantOrderNo: req.refundReference,
        ...(req.providerRef ? { originOrderNo: req.providerRef } : { originMerchantOrderNo: req.reference }),
        amount: wireAmount(req.amount),
        notifyUrl: cfg.notifyUrl,
      });
      if (succeeded(res)) return refundResult(res, req.refundReference, req.amount);
      const kind = res.head.applyStatus === 'ERROR' ? 'refused' : classifyHeadCode(res.head.code, 'refund');
      // Declined, or the payment is in no state to refund (failed): a verdict, nothing moved.
      if (kind === 'decline' || kind === 'state') return { status: 'failed', raw: auditCopy(res) };
      throw headError(res, 'refund', req.providerRef);
    },

    async queryRefund(refundReference) {
      assertOrderNo(refundReference, 'refundReference');
      const res = await call(PAYBY_PATHS.refundQuery, { refundMerchantOrderNo: refundReference });
      if (succeeded(res)) return refundResult(res, refundReference);
      if (classifyHeadCode(res.head.code, 'refundQuery') === 'not_found' && res.head.applyStatus !== 'ERROR') return null;
      throw headError(res, 'refundQuery');
    },
  };
}

function refundResult(res: PayByResponse, refundReference: string, expect?: Money): PayByRefundResult {
  const r = obj(res.body?.refundOrder);
  const providerRef = str(r?.orderNo);
  const bad = (message: string) =>
    new ProviderError('payby_bad_response', message, { outcomeUnknown: true, providerRef, raw: auditCopy(res) });
  if (!r || r.refundMerchantOrderNo !== refundReference) throw bad('PayBy answered about a different refund');
  const status = REFUND_STATUS_MAP[String(r.status)];
  if (!status) throw bad(`PayBy returned an unknown refund status ${JSON.stringify(r.status)}`);
  const amount = fromPayByAmount(r.amount);
  if (expect && (!amount || amount.value !== expect.value || amount.currency !== expect.currency)) {
    throw bad(`PayBy refund is for ${JSON.stringify(r.amount)}, expected ${expect.value} minor ${expect.currency}`);
  }
  return { status, providerRef, raw: auditCopy(res) };
}
