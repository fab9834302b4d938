// What the wallet page knows about a charge, whichever simulator holds it, and the one HTTP helper it uses
// to talk to the simulators' control routes (JSON, not the providers' protocols): what a wallet app would
// learn from its own backend.
import { formatMoney, homeLocaleOf, type Money } from '../shared/money';
import { locale } from '../lib/i18n/locale.svelte';
import { m as msg } from '../paraglide/messages.js';

/**
 * Where a charge stands from the customer's side. `confirm`: the customer is asked (a pending CPM charge
 * to approve, or an unpaid merchant QR to pay); `waiting`: something else has to happen first.
 */
export type ChargePhase = 'waiting' | 'confirm' | 'paid' | 'declined' | 'closed' | 'expired';

export interface Charge {
  /** The id the simulator's control routes take for this charge. */
  id: string;
  amount: Money;
  merchant: string | null;
  phase: ChargePhase;
  /** The provider's own status word, shown small for people testing the sandbox. */
  status: string;
}

export interface CodeView {
  code: string;
  expiresAt: string;
  state: 'issued' | 'used' | 'expired';
  charge?: Charge;
}

export interface IssuedCode extends CodeView {
  /** Local-clock instant the code expires (corrected when this device's clock is off). */
  deadline: number;
}

export class ControlError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export async function control<T>(url: string, init?: RequestInit): Promise<{ body: T; res: Response }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ControlError(0, msg.wallet_no_connection());
  }
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } } | null;
  if (!res.ok) throw new ControlError(res.status, body?.error?.message ?? msg.wallet_http_error({ status: res.status }));
  return { body: body as T, res };
}

export function post<T>(url: string, json?: unknown): Promise<{ body: T; res: Response }> {
  return control<T>(url, {
    method: 'POST',
    ...(json === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
  });
}

/** A phone's clock can be minutes off; the server's Date header says how long the code really has. */
export function deadlineOf(expiresAt: string, res: Response): number {
  const serverNow = Date.parse(res.headers.get('date') ?? '');
  const skewed = Number.isFinite(serverNow) && Math.abs(serverNow - Date.now()) > 5000;
  const ttl = Date.parse(expiresAt) - (skewed ? serverNow : Date.now());
  return Date.now() + ttl;
}

export function formatAmount(m: Money): string {
  try {
    return formatMoney(m, locale.intl, homeLocaleOf(m.currency));
  } catch {
    return msg.wallet_minor_units({ value: m.value, currency: m.currency });
  }
}
