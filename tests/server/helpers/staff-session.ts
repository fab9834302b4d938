// Staff sign-in as the kiosk does it (POST /api/staff/sign-in) and the demo PINs of each role.
import { randomUUID } from 'node:crypto';
import type { Kiosk, Reply } from './kiosk.ts';
import { alipayTestCode } from './kiosk.ts';

export const ROLE_PINS = { cashier: '1111', supervisor: '1234', manager: '9999' } as const;
/** The demo supervisor PIN plus a cashier's and a manager's (what `npm start` sets up in demo mode). */
export const ROLE_ENV = { CASHIER_PIN: ROLE_PINS.cashier, MANAGER_PIN: ROLE_PINS.manager } as const;
export type Role = keyof typeof ROLE_PINS;

export const signIn = (k: Kiosk, pin: string): Promise<Reply> => k.request('POST', '/api/staff/sign-in', { body: { pin } });
export const signOut = (k: Kiosk): Promise<Reply> => k.request('POST', '/api/staff/sign-out');
export const session = (k: Kiosk): Promise<Reply> => k.request('GET', '/api/staff/session');

/** A USD sale paid at once (the Pockyt simulator's 0001 scenario). */
export async function paidSale(k: Kiosk, value = 1000): Promise<Reply> {
  return k.pay({ orderId: `ord-${randomUUID()}`, amount: { value, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
}
