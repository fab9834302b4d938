// The payment state machine (DESIGN §6). Both sides import this table: the server enforces it in the one
// write path, the kiosk uses it to decide which screen a payment belongs on.

export const PAYMENT_STATUSES = [
  'created',
  'pending',
  'unknown',
  'succeeded',
  'failed',
  'cancelled',
  'reversed',
  'expired',
  'partially_refunded',
  'refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  created: ['pending', 'succeeded', 'failed', 'unknown', 'cancelled'],
  pending: ['succeeded', 'failed', 'cancelled', 'expired', 'unknown'],
  unknown: ['pending', 'succeeded', 'failed', 'cancelled', 'expired', 'reversed'],
  expired: ['succeeded'],
  succeeded: ['reversed', 'partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  failed: [],
  cancelled: [],
  reversed: [],
  refunded: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedNext(from: PaymentStatus): readonly PaymentStatus[] {
  return TRANSITIONS[from];
}

/** No further status change can come from the provider. (`expired` is not final: a late payment may land.) */
export function isFinal(status: PaymentStatus): boolean {
  return status === 'failed' || status === 'cancelled' || status === 'reversed' || status === 'refunded';
}

/** Still waiting on the customer or the provider: the kiosk must keep the order locked. */
export function isOpen(status: PaymentStatus): boolean {
  return status === 'created' || status === 'pending' || status === 'unknown';
}

export function isPaid(status: PaymentStatus): boolean {
  return status === 'succeeded' || status === 'partially_refunded' || status === 'refunded';
}

/** cpm: the customer shows a code, the kiosk scans it; mpm: the kiosk shows a QR, the customer scans it. */
export const PAYMENT_MODES = ['cpm', 'mpm'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];
export type { ProviderName, Vendor } from './providers';
