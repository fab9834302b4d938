import type { PaymentView } from '../../shared/api';
import { canTransition } from '../../shared/payment';

/** Whether an update may replace the payment an attempt is showing: it must be the same payment (with none yet,
 *  one of this order that is not among those `leftBehind` by earlier attempts — a late word about the QR that
 *  "New code" replaced must not take the new one's place), and it may never move the status backwards (a slow
 *  poll landing after an SSE push must not undo "Paid"). */
export function acceptsUpdate(
  current: PaymentView | null,
  next: PaymentView,
  orderId: string,
  leftBehind: ReadonlySet<string> = new Set(),
): boolean {
  if (!current) return next.orderId === orderId && !leftBehind.has(next.id);
  if (next.id !== current.id) return false;
  return next.status === current.status || canTransition(current.status, next.status);
}
