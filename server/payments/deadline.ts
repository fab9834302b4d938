// When the customer's time to pay is up (the reconciler cancels, or lets a merchant QR expire, after it).
import type { Payment } from '../store/payments.ts';

/** A merchant QR is given up this long after the provider's own expiry, so a payment made in the last
 *  second (or with the provider's clock a little behind ours) is found by the query, not voided. */
export const MPM_EXPIRY_GRACE_MS = 1_000;

/** When the customer's time is up: the QR's own expiry for a merchant-presented QR, else the adapter's
 *  confirmation window from creation. */
export function deadlineOf(p: Payment, confirmWindowMs: number): number {
  if (p.mode === 'mpm' && p.qr?.expiresAt) {
    const at = Date.parse(p.qr.expiresAt);
    if (Number.isFinite(at)) return at + MPM_EXPIRY_GRACE_MS;
  }
  return Date.parse(p.createdAt) + confirmWindowMs;
}
