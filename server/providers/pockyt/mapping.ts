// Pockyt's vocabulary → ours. One table for statuses, one for ret_codes, and the amount edge
// (integer minor units ↔ "13.00"). Spec providers/pockyt.md §5, §7, §8.
import { fromMajorString, toMajorString, type Money } from '../../../src/shared/money.ts';
import type { ProviderStatus } from '../types.ts';

export const POCKYT_STATUSES = ['init', 'dealing', 'pending', 'success', 'failed', 'closed'] as const;
export type PockytStatus = (typeof POCKYT_STATUSES)[number];

/** `closed` = the payer never completed before `timeout`; our `expired` keeps a late payment possible. */
export const STATUS_MAP: Record<PockytStatus, { status: ProviderStatus; final: boolean }> = {
  init: { status: 'pending', final: false },
  dealing: { status: 'pending', final: false },
  pending: { status: 'pending', final: false },
  success: { status: 'succeeded', final: true },
  failed: { status: 'failed', final: true },
  closed: { status: 'expired', final: true },
};

export function isPockytStatus(s: unknown): s is PockytStatus {
  return typeof s === 'string' && (POCKYT_STATUSES as readonly string[]).includes(s);
}

export const WALLET_DECLINED = {
  code: 'declined',
  message: 'Declined in the wallet — ask the customer to try again or pay another way',
} as const;

export const SUCCESS_CODE = '000100';

/** What a ret_code means for us. `decline`: the wallet/gateway refused and no money moved (a verdict).
 *  `unknown`: the call may have moved money — only a query can tell. `not_found`: no such record.
 *  `error`: our request or configuration is wrong; retrying the same thing will not help. */
export type RetCodeKind = 'ok' | 'decline' | 'unknown' | 'not_found' | 'error';

export const RET_CODES: Record<string, { kind: RetCodeKind; meaning: string }> = {
  '000100': { kind: 'ok', meaning: 'success' },
  '000000': { kind: 'unknown', meaning: 'system error at Pockyt' },
  '000010': { kind: 'error', meaning: 'API version error' },
  '000020': { kind: 'error', meaning: 'required parameter missing' },
  '000021': { kind: 'not_found', meaning: 'no matching record' },
  '000022': { kind: 'error', meaning: 'parameters conflict' },
  // Invalid value: on prepay it is the scanned code (used/expired/foreign) — a decline the cashier can fix
  // by asking for a fresh code; elsewhere it is our bug (see classifyRetCode).
  '000023': { kind: 'error', meaning: 'parameter value invalid' },
  '000030': { kind: 'error', meaning: 'no rights / bad credentials or signature' },
  '000040': { kind: 'decline', meaning: 'insufficient balance / transaction status error' },
  '000080': { kind: 'unknown', meaning: 'wallet network (supplier) error' },
};

export type PockytOperation = 'add' | 'prepay' | 'query' | 'cancel' | 'refund' | 'create-qr';

export function classifyRetCode(code: string, op: PockytOperation): RetCodeKind {
  const entry = RET_CODES[code];
  // An unlisted code on a money-moving call: we cannot say nothing happened.
  if (!entry) return op === 'query' ? 'error' : 'unknown';
  if (code === '000023' && (op === 'prepay' || op === 'refund')) return 'decline';
  if (entry.kind === 'decline' && op !== 'prepay' && op !== 'refund') return 'error';
  return entry.kind;
}

/** A cashier-facing reason for a prepay decline. Stable `code`s let the kiosk pick an icon or wording. */
export function declineReason(retCode: string, retMsg: string): { code: string; message: string } {
  const msg = retMsg.toLowerCase();
  if (retCode === '000023') {
    if (msg.includes('used')) return { code: 'code_used', message: 'Payment code already used — ask for a fresh code' };
    if (msg.includes('expired')) return { code: 'code_expired', message: 'Payment code expired — ask the customer to refresh it' };
    return { code: 'code_invalid', message: 'Payment code not accepted — ask for a fresh code' };
  }
  if (retCode === '000040') {
    return { code: 'insufficient_funds', message: 'Declined: not enough balance in the wallet — ask for another payment method' };
  }
  return { code: 'declined', message: `Declined (${retMsg.trim() || retCode}) — ask for another payment method` };
}

/** Pockyt's in-store API is USD only (§6.1); the amount string is signed, so format exactly once. */
export function toPockytAmount(money: Money): string {
  return toMajorString(money);
}

export function fromPockytAmount(text: string, currency: string): Money {
  return fromMajorString(text, currency);
}
