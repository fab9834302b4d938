// One entry per simulator the wallet page talks to: where its control routes live, what a merchant QR from
// it looks like, and how its own view of a charge maps to the wallet's Charge. Adding a provider = one entry
// here plus its wallet(s) in wallets.ts. Paths and shapes: each simulator's README, "Control routes".
import { fromMajorString, type Money } from '../shared/money';
import type { Charge, ChargePhase } from './control';

export type SimulatorId = 'pockyt' | 'centrapay' | 'payby';

export interface Simulator {
  id: SimulatorId;
  label: string;
  /** Base path of the control routes on this origin. */
  control: string;
  /** Where the charge hangs in `GET /codes/:code`. */
  codeChargeKey: 'transaction' | 'request';
  /** Control path of a charge: GET `${control}${chargePath}/:id`, POST `…/:id/approve|decline|pay`. */
  chargePath: string;
  /** Merchant QR payload path (`<origin><path>`); group 1 is the reference. */
  mpmPath: RegExp;
  /** Control path that resolves a merchant QR reference to its charge. */
  mpmLookup(ref: string): string;
  /** Whether the simulator records a customer's refusal of a merchant QR (else the wallet just does not pay). */
  mpmDecline: boolean;
  toCharge(view: unknown): Charge;
}

type View = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function money(major: unknown, currency: unknown): Money {
  return fromMajorString(str(major), str(currency));
}

const POCKYT_PHASES: Record<string, ChargePhase> = {
  dealing: 'waiting',
  pending: 'confirm',
  success: 'paid',
  failed: 'declined',
  closed: 'closed',
};

const pockyt: Simulator = {
  id: 'pockyt',
  label: 'Pockyt',
  control: '/sim/pockyt/control',
  codeChargeKey: 'transaction',
  chargePath: '/transactions',
  mpmPath: /^\/sim\/pockyt\/qr\/(\d{6,32})$/,
  mpmLookup: (ref) => `/transactions/${encodeURIComponent(ref)}`,
  mpmDecline: false,
  toCharge(view) {
    const t = view as View;
    const status = str(t.status);
    // `init`: a merchant QR nobody has paid yet is for the customer to pay; a CPM one has no code yet.
    const phase = status === 'init' ? (t.mode === 'mpm' ? 'confirm' : 'waiting') : (POCKYT_PHASES[status] ?? 'waiting');
    return { id: str(t.transactionNo), amount: money(t.amount, t.currency), merchant: str(t.storeName) || null, phase, status };
  },
};

const centrapay: Simulator = {
  id: 'centrapay',
  label: 'Centrapay',
  control: '/sim/centrapay/control',
  codeChargeKey: 'request',
  chargePath: '/requests',
  mpmPath: /^\/sim\/centrapay\/pay\/([A-Za-z0-9]{10,40})$/,
  mpmLookup: (ref) => `/requests/${encodeURIComponent(ref)}`,
  // The simulator's decline is for patron-code requests only; a scanned QR the patron refuses stays open.
  mpmDecline: false,
  toCharge(view) {
    const r = view as View;
    const status = str(r.status);
    const value = (r.value ?? {}) as View;
    // Monetary amounts are minor units as a string ("1250"): no decimal conversion at all.
    const minor = str(value.amount);
    if (!/^\d{1,15}$/.test(minor)) throw new Error(`Centrapay sent an unreadable amount ${JSON.stringify(value.amount)}`);
    const conditions = Array.isArray(r.merchantConditions) ? (r.merchantConditions as View[]) : [];
    let phase: ChargePhase;
    if (status === 'new') phase = conditions.some((c) => c.status === 'awaiting-merchant') ? 'waiting' : 'confirm';
    else if (status === 'paid') phase = 'paid';
    else if (status === 'expired') phase = 'expired';
    else if (status === 'cancelled') phase = r.cancellationReason === 'DECLINED_BY_PATRON' ? 'declined' : 'closed';
    else phase = 'waiting';
    return {
      id: str(r.id),
      amount: { value: Number(minor), currency: str(value.currency) },
      merchant: str(r.merchantName) || null,
      phase,
      status: r.cancellationReason ? `${status} (${str(r.cancellationReason)})` : status,
    };
  },
};

const payby: Simulator = {
  id: 'payby',
  label: 'PayBy',
  control: '/sim/payby/control',
  codeChargeKey: 'transaction',
  chargePath: '/orders',
  mpmPath: /^\/sim\/payby\/pay\/([A-Za-z0-9_-]{16,64})$/,
  mpmLookup: (ref) => `/tokens/${encodeURIComponent(ref)}`,
  mpmDecline: true,
  toCharge(view) {
    const o = view as View;
    const status = str(o.status);
    let phase: ChargePhase;
    if (o.revoked === true) phase = 'closed';
    else if (status === 'CREATED') phase = 'confirm';
    else if (status === 'PAID_SUCCESS' || status === 'SETTLED') phase = 'paid';
    else if (status === 'FAILURE') {
      // 504 SERVICE_TIMEOUT is how the simulator ends an order nobody paid in time (README).
      phase = o.failCode === 'PAYER_DECLINED' ? 'declined' : o.failCode === '504' ? 'expired' : 'closed';
    } else phase = 'waiting';
    return {
      id: str(o.orderNo),
      amount: money(o.amount, o.currency),
      merchant: str(o.storeName) || null,
      phase,
      status: o.failCode ? `${status} (${str(o.failCode)})` : status,
    };
  },
};

export const SIMULATORS: readonly Simulator[] = [pockyt, centrapay, payby];
