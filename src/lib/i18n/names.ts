// Names the kiosk shows for values the server sends as words (staff roles, payment statuses).
import { m } from '../../paraglide/messages.js';
import { OPEN_AMOUNT_NAME } from '../checkout/cart-math';

const ROLES: Record<string, () => string> = { cashier: m.role_cashier, supervisor: m.role_supervisor, manager: m.role_manager };

export function roleName(role: string): string {
  return ROLES[role]?.() ?? role;
}

/** A cart line's name: the keypad's open amount is saved under its English name and shown in the active language. */
export function lineName(name: string): string {
  return name === OPEN_AMOUNT_NAME ? m.cart_open_amount() : name;
}

const STATUSES: Record<string, () => string> = {
  created: m.pstatus_created,
  pending: m.pstatus_pending,
  unknown: m.pstatus_unknown,
  succeeded: m.pstatus_succeeded,
  failed: m.pstatus_failed,
  cancelled: m.pstatus_cancelled,
  reversed: m.pstatus_reversed,
  expired: m.pstatus_expired,
  partially_refunded: m.pstatus_partially_refunded,
  refunded: m.pstatus_refunded,
};

/** A payment's (or refund's) status word in the active language; an unknown word as the server sent it. */
export function statusName(status: string): string {
  return STATUSES[status]?.() ?? status.replace('_', ' ');
}
