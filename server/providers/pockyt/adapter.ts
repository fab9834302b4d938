// Pockyt in-store adapter: our PaymentAdapter contract over Pockyt's signed POSTs (spec providers/pockyt.md).
// Declines come back as verdicts; a thrown ProviderError means "no verdict" and says whether money may have moved.
import type { Money } from '../../../src/shared/money.ts';
import { ProviderError, type PaymentAdapter, type ProviderRef, type ProviderVerdict } from '../types.ts';
import type { HttpObserver } from '../http.ts';
import { pockytPost, stableRequestId, type PockytEnvelope } from './http.ts';
import {
  classifyRetCode,
  declineReason,
  fromPockytAmount,
  isPockytStatus,
  STATUS_MAP,
  SUCCESS_CODE,
  toPockytAmount,
  WALLET_DECLINED,
  type PockytOperation,
} from './mapping.ts';

export interface PockytConfig {
  baseUrl: string;
  merchantNo: string;
  storeNo: string;
  token: string;
  timeoutMs?: number;
  prepayTimeoutMs?: number;
  confirmWindowMs?: number;
  ipnUrl?: string;
  /** Told about every HTTP exchange (the app's metrics). */
  observer?: HttpObserver;
}

const PATHS = {
  add: '/app-instore/v3/add',
  prepay: '/app-instore/v3/prepay',
  createQr: '/app-instore/v3/create-trans-qrcode',
  query: '/app-data-search/v3/tran-query',
  cancel: '/app-data-search/v3/cancel',
  refund: '/app-data-search/v3/refund',
} as const;

type Result = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function retError(env: PockytEnvelope, op: PockytOperation, providerRef?: string): ProviderError {
  const outcomeUnknown = classifyRetCode(env.ret_code, op) === 'unknown';
  return new ProviderError(`pockyt_${env.ret_code}`, `Pockyt ${op}: ${env.ret_code} ${env.ret_msg}`.trim(), {
    outcomeUnknown,
    providerRef,
    raw: env,
  });
}

function withRef(err: unknown, providerRef: string): unknown {
  if (!(err instanceof ProviderError)) return err;
  return new ProviderError(err.code, err.message, { outcomeUnknown: err.outcomeUnknown, providerRef, raw: err.raw, cause: err });
}

function refFields(ref: ProviderRef): Record<string, string> {
  // Pockyt rejects requests carrying both (000022); the transactionNo is the sharper key when we have it.
  return ref.providerRef ? { transactionNo: ref.providerRef } : { reference: ref.reference };
}

function assertUsd(amount: Money): void {
  if (amount.currency !== 'USD') {
    throw new ProviderError('unsupported_currency', `Pockyt in-store takes USD only, not ${amount.currency}`, { outcomeUnknown: false });
  }
}

function minor(text: unknown, currency: string): number {
  return typeof text === 'string' && text !== '' ? fromPockytAmount(text, currency).value : 0;
}

/** Sum of refunds on a payment (tran-query `refundInfo[]`, else the transaction's `refundAmount`). */
function refundedMinor(r: Result, currency: string): number {
  if (Array.isArray(r.refundInfo)) return r.refundInfo.reduce((s: number, x) => s + minor((x as Result)?.refundAmount, currency), 0);
  return minor(r.refundAmount, currency);
}

/** Turns a transaction object into a verdict. `field` differs: add/prepay say `transactionStatus`, tran-query `status`. */
function verdictOf(env: PockytEnvelope, field: 'status' | 'transactionStatus', fallbackRef?: string): ProviderVerdict {
  const r = env.result ?? {};
  const raw = r[field];
  const providerRef = str(r.transactionNo) ?? fallbackRef;
  if (!isPockytStatus(raw)) {
    throw new ProviderError('pockyt_bad_status', `Pockyt returned an unknown ${field} ${JSON.stringify(raw)}`, {
      outcomeUnknown: true,
      providerRef,
      raw: env,
    });
  }
  let status = STATUS_MAP[raw].status;
  const currency = str(r.currency) ?? 'USD';
  if (raw === 'success') {
    const amount = minor(r.amount, currency);
    // Cancel after capture refunds in full while the payment row keeps `success` (spec §8).
    if (amount > 0 && refundedMinor(r, currency) >= amount) status = 'reversed';
  }
  return {
    status,
    providerRef,
    amount: reportedAmount(r.amount, currency),
    failure: raw === 'failed' ? { ...WALLET_DECLINED } : undefined,
    raw: env,
  };
}

/** The transaction's amount as Pockyt reports it; undefined when absent or unreadable (never a guess). */
function reportedAmount(text: unknown, currency: string): Money | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return fromPockytAmount(text, currency);
  } catch {
    return undefined;
  }
}

export function createPockytAdapter(cfg: PockytConfig): PaymentAdapter {
  const timeoutMs = cfg.timeoutMs ?? 10_000;
  const prepayTimeoutMs = cfg.prepayTimeoutMs ?? 20_000;
  const confirmWindowMs = cfg.confirmWindowMs ?? 90_000;
  // Pockyt closes the unpaid transaction itself after `timeout` minutes; keep it just past our own window.
  const timeoutMinutes = String(Math.max(3, Math.ceil(confirmWindowMs / 60_000) + 1));

  const call = (path: string, fields: Record<string, string | undefined>, ms = timeoutMs, requestId?: string) =>
    pockytPost(
      path,
      { merchantNo: cfg.merchantNo, storeNo: cfg.storeNo, ...fields },
      {
        baseUrl: cfg.baseUrl,
        token: cfg.token,
        timeoutMs: ms,
        requestId,
        observer: cfg.observer,
      },
    );
  const rid = (...parts: string[]) => stableRequestId(cfg.merchantNo, cfg.storeNo, ...parts);

  async function query(ref: ProviderRef): Promise<ProviderVerdict | null> {
    const env = await call(PATHS.query, refFields(ref));
    if (env.ret_code === SUCCESS_CODE) return verdictOf(env, 'status', ref.providerRef);
    if (classifyRetCode(env.ret_code, 'query') === 'not_found') return null;
    throw retError(env, 'query', ref.providerRef);
  }

  return {
    name: 'pockyt',
    currencies: ['USD'],
    cpmVendors: ['alipay', 'wechatpay'],
    confirmWindowMs,

    async chargeCode(req) {
      assertUsd(req.amount);
      const amount = toPockytAmount(req.amount);
      const add = await call(
        PATHS.add,
        {
          amount,
          currency: 'USD',
          settleCurrency: 'USD',
          reference: req.reference,
          timeout: timeoutMinutes,
          ipnUrl: cfg.ipnUrl,
        },
        timeoutMs,
        rid('add', req.reference),
      );

      let transactionNo: string | undefined;
      if (add.ret_code === SUCCESS_CODE) {
        transactionNo = str(add.result?.transactionNo);
        if (!transactionNo)
          throw new ProviderError('pockyt_bad_response', 'Pockyt add returned no transactionNo', { outcomeUnknown: true, raw: add });
      } else if (add.ret_code === '000022' && /duplicate/i.test(add.ret_msg)) {
        // This reference was created before (our earlier attempt whose answer was lost): pick it up
        // instead of creating a second transaction.
        const existing = await query({ reference: req.reference });
        if (!existing?.providerRef) throw retError(add, 'add');
        const status = (existing.raw as PockytEnvelope).result?.status;
        if (status !== 'init') return existing;
        transactionNo = existing.providerRef;
      } else {
        throw retError(add, 'add');
      }

      let pre: PockytEnvelope;
      try {
        pre = await call(
          PATHS.prepay,
          {
            transactionNo,
            paymentBarcode: req.code,
            vendor: req.vendor === 'alipay' || req.vendor === 'wechatpay' ? req.vendor : undefined,
          },
          prepayTimeoutMs,
          rid('prepay', transactionNo, req.code),
        );
      } catch (err) {
        throw withRef(err, transactionNo);
      }

      const kind = classifyRetCode(pre.ret_code, 'prepay');
      if (kind === 'ok') {
        const verdict = verdictOf(pre, 'transactionStatus', transactionNo);
        const echoed = str(pre.result?.amount);
        if (echoed !== undefined && minor(echoed, 'USD') !== req.amount.value) {
          throw new ProviderError('pockyt_amount_mismatch', `Pockyt charged ${echoed}, expected ${amount}`, {
            outcomeUnknown: true,
            providerRef: transactionNo,
            raw: pre,
          });
        }
        return verdict;
      }
      if (kind === 'decline')
        return { status: 'failed', providerRef: transactionNo, failure: declineReason(pre.ret_code, pre.ret_msg), raw: pre };
      // 000022 here means the transaction is no longer `init` — something already happened; only a query can say what.
      if (pre.ret_code === '000022') {
        throw new ProviderError('pockyt_000022', `Pockyt prepay: ${pre.ret_msg}`, {
          outcomeUnknown: true,
          providerRef: transactionNo,
          raw: pre,
        });
      }
      throw retError(pre, 'prepay', transactionNo);
    },

    async createQr(req) {
      assertUsd(req.amount);
      if (req.vendor !== 'alipay' && req.vendor !== 'wechatpay') {
        throw new ProviderError('vendor_required', 'Pockyt merchant QR needs vendor alipay or wechatpay', { outcomeUnknown: false });
      }
      const env = await call(
        PATHS.createQr,
        {
          amount: toPockytAmount(req.amount),
          currency: 'USD',
          settleCurrency: 'USD',
          vendor: req.vendor,
          reference: req.reference,
          ipnUrl: req.notifyUrl,
          needQrcode: 'false',
          timeout: timeoutMinutes,
        },
        timeoutMs,
        rid('create-qr', req.reference),
      );
      if (env.ret_code !== SUCCESS_CODE) throw retError(env, 'create-qr');
      const r = env.result ?? {};
      const deepLink = str(r.deepLink);
      const providerRef = str(r.transactionNo);
      if (!deepLink || !providerRef) {
        throw new ProviderError('pockyt_bad_response', 'Pockyt create-trans-qrcode returned no deepLink/transactionNo', {
          outcomeUnknown: true,
          providerRef,
          raw: env,
        });
      }
      const minutes = Number(str(r.timeout) ?? timeoutMinutes);
      const expiresAt = new Date(Date.now() + (Number.isFinite(minutes) ? minutes : 3) * 60_000).toISOString();
      return { status: 'pending', providerRef, qr: { payload: deepLink, expiresAt }, raw: env };
    },

    query,

    async cancel(ref) {
      const env = await call(PATHS.cancel, refFields(ref), timeoutMs, rid('cancel', ref.providerRef ?? ref.reference));
      const kind = classifyRetCode(env.ret_code, 'cancel');
      // Pockyt has no such transaction (our `add` never landed): nothing can be charged under it.
      if (kind === 'not_found') return { status: 'cancelled', providerRef: ref.providerRef, raw: env };
      if (kind !== 'ok') throw retError(env, 'cancel', ref.providerRef);
      const providerRef = str(env.result?.transactionNo) ?? ref.providerRef;
      // The cancel answer does not say whether it voided or refunded; the payment's own status does.
      let after: ProviderVerdict | null;
      try {
        after = await query(providerRef ? { reference: ref.reference, providerRef } : ref);
      } catch {
        after = null;
      }
      if (after?.status === 'reversed') return { status: 'reversed', providerRef, raw: { cancel: env, query: after.raw } };
      if (after && after.status !== 'succeeded') return { status: 'cancelled', providerRef, raw: { cancel: env, query: after.raw } };
      const refunded = str(env.result?.refundAmount);
      if (!after && refunded !== undefined) {
        return { status: minor(refunded, 'USD') > 0 ? 'reversed' : 'cancelled', providerRef, raw: env };
      }
      throw new ProviderError(
        'pockyt_cancel_unconfirmed',
        'Pockyt accepted the cancel but its result could not be confirmed; query again',
        {
          outcomeUnknown: true,
          providerRef,
          raw: { cancel: env, query: after?.raw },
        },
      );
    },

    async refund(req) {
      assertUsd(req.amount);
      const env = await call(
        PATHS.refund,
        {
          ...refFields(req),
          refundAmount: toPockytAmount(req.amount),
          currency: 'USD',
          settleCurrency: 'USD',
          refundReference: req.refundReference,
        },
        timeoutMs,
        rid('refund', req.refundReference),
      );
      const kind = classifyRetCode(env.ret_code, 'refund');
      if (kind === 'decline') return { status: 'failed', raw: env };
      if (kind !== 'ok') throw retError(env, 'refund', req.providerRef);
      const r = env.result ?? {};
      const status = r.status === 'success' ? 'succeeded' : r.status === 'failed' ? 'failed' : 'pending';
      return { status, providerRef: str(r.refundTransactionNo), raw: env };
    },
  };
}
