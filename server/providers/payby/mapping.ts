// PayBy's vocabulary → ours (spec providers/payby.md §4, §6–§8): the one status table, the head.code table,
// decline wording, and the edges where our values become PayBy's (AED JSON numbers, subject, order numbers).
import { fromMajorNumber, toMajorNumber, type Money } from '../../../src/shared/money.ts';
import type { ProviderStatus } from '../types.ts';

export const PAYBY_STATUSES = ['CREATED', 'PAID_SUCCESS', 'SETTLED', 'FAILURE'] as const;
export type PayByStatus = (typeof PAYBY_STATUSES)[number];

export function isPayByStatus(s: unknown): s is PayByStatus {
  return typeof s === 'string' && (PAYBY_STATUSES as readonly string[]).includes(s);
}

/** THE status table. Columns: how the order ended up there. `revoked` is PayBy's separate string flag
 *  (§5.4, §7); `paid` = the order carries `paymentInfo` (money was captured at some point).
 *  FAILURE without a failCode is an order closed by cancel or expiry, not a decline. */
export const STATUS_MAP: Record<
  PayByStatus,
  {
    normal: ProviderStatus;
    /** FAILURE with `failCode` 504 / SERVICE_TIMEOUT or past its expiredTime. */
    timedOut?: ProviderStatus;
    /** FAILURE with any other failCode: the payer's wallet or PayBy's risk checks refused. */
    declined?: ProviderStatus;
    revokedPaid: ProviderStatus;
    revokedUnpaid: ProviderStatus;
  }
> = {
  CREATED: { normal: 'pending', revokedPaid: 'reversed', revokedUnpaid: 'cancelled' },
  PAID_SUCCESS: { normal: 'succeeded', revokedPaid: 'reversed', revokedUnpaid: 'reversed' },
  // Settled money still goes back on revoke, through a separate refund order (§5.4).
  SETTLED: { normal: 'succeeded', revokedPaid: 'reversed', revokedUnpaid: 'reversed' },
  FAILURE: { normal: 'cancelled', timedOut: 'expired', declined: 'failed', revokedPaid: 'reversed', revokedUnpaid: 'cancelled' },
};

export interface OrderFacts {
  status: PayByStatus;
  revoked: boolean;
  paid: boolean;
  failCode?: string;
  failDes?: string;
  expiredTime?: number;
}

/** Reads the table. `now` decides whether a FAILURE without failCode is an expiry or a cancel. */
export function mapOrderStatus(o: OrderFacts, now = Date.now()): ProviderStatus {
  const row = STATUS_MAP[o.status];
  if (o.revoked) return o.paid ? row.revokedPaid : row.revokedUnpaid;
  if (o.status !== 'FAILURE') return row.normal;
  if (o.failCode === '504' || o.failDes === 'SERVICE_TIMEOUT') return row.timedOut!;
  if (o.failCode) return row.declined!;
  if (o.expiredTime !== undefined && now >= o.expiredTime) return row.timedOut!;
  return row.normal;
}

/** Refund order statuses (§5.5). REFUNDED_SETTLED: taken from our balance — committed, only delivery remains. */
export const REFUND_STATUS_MAP: Record<string, 'pending' | 'succeeded' | 'failed'> = {
  CREATED: 'pending',
  REFUNDED_SETTLED: 'succeeded',
  SUCCESS: 'succeeded',
  FAILURE: 'failed',
};

/** What a head.code means for us. `refused`: PayBy did not process the request (nothing moved, a retry of
 *  the same thing will not help). `unknown`: it may have been processed — only getOrder can tell.
 *  `state`: the order is already final (paid/failed/settled). `decline`: a refusal the cashier can act on. */
export type CodeKind = 'ok' | 'refused' | 'unknown' | 'not_found' | 'state' | 'decline';

export const HEAD_CODES: Record<string, { kind: CodeKind; meaning: string }> = {
  '0': { kind: 'ok', meaning: 'SUCCESS' },
  '400': { kind: 'refused', meaning: 'INVALID_PARAMETER / REQUESTTIME_TOO_EARLY / REQUESTTIME_TOO_LATER' },
  '402': { kind: 'refused', meaning: 'RATE_LIMIT_REJECT' },
  '403': { kind: 'refused', meaning: 'UNAUTHORIZED' },
  '404': { kind: 'refused', meaning: 'SERVICE_NOT_AVAILABLE' },
  '500': { kind: 'unknown', meaning: 'SYSTEM_ERROR' },
  '504': { kind: 'unknown', meaning: 'SERVICE_TIMEOUT' },
  '601': { kind: 'decline', meaning: 'RISK_FAIL' },
  '62001': { kind: 'state', meaning: 'ORDER_PAID' },
  '62002': { kind: 'state', meaning: 'ORDER_FAILURE' },
  '62003': { kind: 'state', meaning: 'ORDER_SETTLED' },
  '62004': { kind: 'not_found', meaning: 'MERCHANT_ORDER_NO_NOT_EXIST' },
  '62006': { kind: 'decline', meaning: 'REFUND_AMOUNT_EXCEEDED' },
  '62007': { kind: 'not_found', meaning: 'REFUND_MERCHANT_ORDER_NO_NOT_EXIST' },
  '62008': { kind: 'refused', meaning: 'EXPIREDTIME_LESS_THAN_REQUESTTIME' },
  '62009': { kind: 'refused', meaning: 'EXPIREDTIME_TOO_LATER' },
  '62012': { kind: 'refused', meaning: 'PAYSCENECODE_ILLEGAL' },
  '62015': { kind: 'decline', meaning: 'ORDER_NOT_PAID' },
  '62016': { kind: 'refused', meaning: 'MERCHANT_ORDER_NO_EXIST (same number, different parameters)' },
  '62017': { kind: 'refused', meaning: 'REFUND_MERCHANT_ORDER_NO_EXIST (same number, different parameters)' },
  '62026': { kind: 'refused', meaning: 'PRODUCT_IS_NOT_APPLIED' },
  '62030': { kind: 'decline', meaning: 'ORDER_BANK_FAIL' },
  '62033': { kind: 'refused', meaning: 'MISSING_AUTHCODE' },
  '62035': { kind: 'not_found', meaning: 'ORDER_NO_NOT_EXIST' },
  '62039': { kind: 'unknown', meaning: 'REVOKE_FAILURE (retry)' },
  '62040': { kind: 'decline', meaning: 'ACQUIRE_ORDER_REVOKED' },
  '62041': { kind: 'refused', meaning: 'ACQUIRE_ORDER_REFUNDED' },
  '62045': { kind: 'decline', meaning: 'REFUND_REJECTED' },
  '62046': { kind: 'refused', meaning: 'REVOKE_REJECTED' },
  '62073': { kind: 'refused', meaning: 'INVALID_ONE_TIME_PAYMENT' },
  '62082': { kind: 'refused', meaning: 'TOKEN_URL_NOT_EXIST' },
  '62089': { kind: 'refused', meaning: 'INVALID_EXPIRED_TIME' },
};

export type PayByOperation = 'placeOrder' | 'getOrder' | 'cancelOrder' | 'revokeOrder' | 'refund' | 'refundQuery' | 'updateExpiredTime';

const MONEY_MOVING: readonly PayByOperation[] = ['placeOrder', 'revokeOrder', 'refund'];

export function classifyHeadCode(code: string, op: PayByOperation): CodeKind {
  const entry = HEAD_CODES[code];
  // An unlisted code on a call that can move money: we cannot say nothing happened.
  if (!entry) return MONEY_MOVING.includes(op) ? 'unknown' : 'refused';
  // A decline is only meaningful where a verdict is expected: charges (601) and refunds (620xx).
  if (entry.kind === 'decline') {
    if (op === 'placeOrder' && code === '601') return 'decline';
    if (op === 'refund' && code !== '601') return 'decline';
    return 'refused';
  }
  return entry.kind;
}

/** Cashier-facing reasons for a FAILURE order, keyed by failCode (§8; simulator codes in its README). */
const FAIL_REASONS: Record<string, { code: string; message: string }> = {
  '92000': { code: 'risk_rejected', message: 'Declined by PayBy risk checks — ask for another payment method' },
  '92001': { code: 'amount_over_limit', message: 'Declined: amount over the customer’s PayBy limit — ask for another payment method' },
  '92002': { code: 'count_over_limit', message: 'Declined: too many PayBy payments today — ask for another payment method' },
  '92003': { code: 'kyc_required', message: 'Declined: the customer’s PayBy account is not verified — ask for another payment method' },
  '92004': { code: 'channel_rejected', message: 'Declined by the customer’s funding source — ask them to pick another in PayBy' },
  '601': { code: 'risk_rejected', message: 'Declined by PayBy risk checks — ask for another payment method' },
};

export function declineReason(failCode: string | undefined, failDes: string | undefined): { code: string; message: string } {
  const des = (failDes ?? '').toLowerCase();
  // The payment code itself: the cashier can fix this by asking for a fresh one.
  if (des.includes('used')) return { code: 'code_used', message: 'PayBy payment code already used — ask the customer to refresh it' };
  if (des.includes('expired')) return { code: 'code_expired', message: 'PayBy payment code expired — ask the customer to refresh it' };
  if (des.includes('authcode') || des.includes('auth_code'))
    return { code: 'code_invalid', message: 'PayBy payment code not accepted — ask for a fresh code' };
  const known = failCode ? FAIL_REASONS[failCode] : undefined;
  if (known) return { ...known };
  return { code: 'declined', message: 'Declined in the PayBy app — ask the customer to try again or pay another way' };
}

/** AED only (§4); exactly the amount, as a JSON number with ≤ 12 integer digits and ≤ 2 decimals. */
export function toPayByAmount(money: Money): { currency: string; amount: number } {
  if (money.currency !== 'AED') throw new RangeError(`PayBy takes AED only, not ${money.currency}`);
  if (!Number.isSafeInteger(money.value) || money.value <= 0) throw new RangeError('amount must be a positive whole number of fils');
  if (money.value >= 100_000_000_000_000) throw new RangeError('amount exceeds PayBy’s 12 integer digits');
  return { currency: 'AED', amount: toMajorNumber(money) };
}

export function fromPayByAmount(m: unknown): Money | undefined {
  const o = m as { currency?: unknown; amount?: unknown } | null | undefined;
  if (!o || typeof o !== 'object' || typeof o.currency !== 'string' || typeof o.amount !== 'number' || !Number.isFinite(o.amount))
    return undefined;
  try {
    return fromMajorNumber(o.amount, o.currency);
  } catch {
    return undefined;
  }
}

export const SUBJECT_MAX = 12;
export const DEFAULT_SUBJECT = 'Kiosk sale';

/** PayBy's documented `subject` limit is 12 (§5.1). Java counts UTF-16 units, so we do too, cutting only
 *  between whole characters (never half a surrogate pair). Blank → the default label. */
export function paybySubject(description: string | undefined): string {
  // Control characters in a cashier's text become spaces: PayBy shows the subject to the customer.
  const clean = (description ?? '')
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean === '') return DEFAULT_SUBJECT;
  let out = '';
  for (const ch of clean) {
    if (out.length + ch.length > SUBJECT_MAX) break;
    out += ch;
  }
  return out.trimEnd();
}

/** merchantOrderNo rules (§4): ≤ 64 of letters, digits, `-`, `_`. */
export function isValidMerchantOrderNo(s: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(s);
}
