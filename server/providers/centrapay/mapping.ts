// Centrapay's vocabulary → ours (spec providers/centrapay.md §3, §7, §8): the one status table, the decline
// table (error codes and cancellation reasons → cashier wording), and the amount edge
// (integer minor units ↔ `{ amount: "1250", currency: "NZD" }`).
import { currencyExponent, MoneyError, type Money } from '../../../src/shared/money.ts';
import type { ProviderStatus } from '../types.ts';

/** `refunded` appears only in older docs (newer ones: refunds are activities); accepted so a query never
 *  chokes on it. The simulator never answers it. */
export const CENTRAPAY_STATUSES = ['new', 'paid', 'cancelled', 'expired', 'refunded'] as const;
export type CentrapayStatus = (typeof CENTRAPAY_STATUSES)[number];

/** THE status table. `cancelled` depends on who cancelled: our own void is `cancelled`; the patron, the
 *  asset or Centrapay refusing is a decline (`failed`, no money moved). Whether a paid request was later
 *  reversed is not a status at Centrapay (§7): the adapter reads it from the refund activities. */
export const STATUS_MAP: Record<CentrapayStatus, { status: ProviderStatus; byReason?: Readonly<Record<string, ProviderStatus>> }> = {
  new: { status: 'pending' },
  paid: { status: 'succeeded' },
  refunded: { status: 'succeeded' },
  expired: { status: 'expired' },
  cancelled: { status: 'failed', byReason: { CANCELLED_BY_MERCHANT: 'cancelled', PAYMENT_REQUEST_EXPIRED: 'expired' } },
};

export function isCentrapayStatus(s: unknown): s is CentrapayStatus {
  return typeof s === 'string' && (CENTRAPAY_STATUSES as readonly string[]).includes(s);
}

export function mapStatus(status: CentrapayStatus, cancellationReason?: string): ProviderStatus {
  const entry = STATUS_MAP[status];
  return (cancellationReason !== undefined && entry.byReason?.[cancellationReason]) || entry.status;
}

export interface Failure {
  code: string;
  message: string;
}

/** Create-time error codes (§5.1) and cancellation reasons (§7) the cashier can act on. Stable `code`s
 *  match the other providers' where the meaning is the same (code_invalid, code_expired, insufficient_funds). */
export const DECLINES: Readonly<Record<string, Failure>> = {
  PATRON_CODE_INVALID: {
    code: 'code_invalid',
    message: 'Centrapay did not accept this code (unknown or expired) — ask the customer to refresh it in their app',
  },
  PATRON_CODE_EXPIRED: { code: 'code_expired', message: 'Payment code expired — ask the customer to refresh it in their app' },
  CHECKSUM_FAILED: { code: 'code_misread', message: 'The code was misread (check digit wrong) — scan it again or type it carefully' },
  NO_AVAILABLE_PAYMENT_OPTIONS: {
    code: 'no_payment_options',
    message: "Nothing in the customer's Centrapay wallet can pay this — ask for another payment method",
  },
  DECLINED_BY_PATRON: { code: 'declined_by_customer', message: 'The customer declined the payment in their app' },
  CANCELLED_BY_PATRON: { code: 'declined_by_customer', message: 'The customer cancelled the payment in their app' },
  DECLINED_BY_MERCHANT: { code: 'declined_by_operator', message: 'Declined at the till (a required check was refused)' },
  PAYMENT_DECLINED: { code: 'declined', message: 'Centrapay declined the payment — ask for another payment method' },
  INSUFFICIENT_ASSET_VALUE: { code: 'insufficient_funds', message: 'Declined: not enough balance — ask for another payment method' },
  INACTIVE_ASSET: { code: 'inactive_asset', message: "The customer's card or balance is not active — ask for another payment method" },
  PAYMENT_FAILED: { code: 'declined', message: 'The payment failed at Centrapay — ask for another payment method' },
};

const GENERIC_DECLINE: Failure = { code: 'declined', message: 'Declined by Centrapay — ask for another payment method' };

export function declineFor(code: string | undefined): Failure {
  return (code !== undefined && DECLINES[code]) || GENERIC_DECLINE;
}

/** Create errors that are a verdict about the scanned code or the wallet: nothing was created, the cashier
 *  can try another code. Every other 4xx on create is our configuration or our bug. */
export const CREATE_DECLINES: readonly string[] = ['PATRON_CODE_INVALID', 'CHECKSUM_FAILED', 'NO_AVAILABLE_PAYMENT_OPTIONS'];

/** Refund refusals (§5.8): no refund happened, and repeating the same request will not change that. */
export const REFUND_DECLINES: readonly string[] = [
  'NOT_PAID',
  'ALREADY_REFUNDED',
  'INVALID_AMOUNT',
  'REPEAT_REFERENCE',
  'PARTIAL_REFUNDS_NOT_ALLOWED',
  'INACTIVE_ASSET',
  'REFUND_NOT_SUPPORTED',
  'REFUND_WINDOW_EXCEEDED',
  'PRE_AUTH_PENDING',
  'CONFIRMATION_NOT_FOUND',
  'REFUND_DECLINED',
];

/** Void refusals that mean "this request is already closed" (§9): the request's own status says how. */
export const VOID_ALREADY_CLOSED: readonly string[] = ['REQUEST_EXPIRED', 'REQUEST_CANCELLED', 'ALREADY_REFUNDED', 'REQUEST_PAID'];

export interface Monetary {
  amount: string;
  currency: string;
}

/** Centrapay's monetary limit (§3): positive and below 100000000 minor units. */
export const MAX_MINOR = 99_999_999;

/** 1250 NZD → { amount: "1250", currency: "NZD" }: the wire carries minor units, so no decimal point ever. */
export function toCentrapayMonetary(money: Money): Monetary {
  currencyExponent(money.currency);
  if (!Number.isSafeInteger(money.value) || money.value <= 0 || money.value > MAX_MINOR) {
    throw new MoneyError('invalid_amount', `Centrapay amounts are 1..${MAX_MINOR} minor units; got ${money.value}`);
  }
  return { amount: String(money.value), currency: money.currency };
}

/** Reads a monetary from Centrapay. Strict: an integer string of minor units (no sign, point or exponent). */
export function fromCentrapayMonetary(m: unknown): Money {
  const o = (m && typeof m === 'object' ? m : {}) as { amount?: unknown; currency?: unknown };
  if (typeof o.currency !== 'string') throw new MoneyError('invalid_currency', 'Centrapay monetary without a currency');
  currencyExponent(o.currency);
  const text = typeof o.amount === 'number' && Number.isSafeInteger(o.amount) ? String(o.amount) : o.amount;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) {
    throw new MoneyError('invalid_amount', `Not a Centrapay minor-unit amount: ${JSON.stringify(o.amount)}`);
  }
  return { value: Number(text), currency: o.currency };
}
