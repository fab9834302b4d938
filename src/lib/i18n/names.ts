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
