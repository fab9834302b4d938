// Names the kiosk shows for values the server sends as words (staff roles, payment statuses).
import { m } from '../../paraglide/messages.js';

const ROLES: Record<string, () => string> = { cashier: m.role_cashier, supervisor: m.role_supervisor, manager: m.role_manager };

export function roleName(role: string): string {
  return ROLES[role]?.() ?? role;
}
