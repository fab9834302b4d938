// What each simulated sale does: which provider, CPM or MPM, and how the customer behaves (instant wallet,
// delayed approval, decline, a wallet code approved — or never — on the phone, a merchant QR paid or left),
// whether the cashier's Cancel races the customer's approval, and what a supervisor does with a paid payment
// afterwards (refunds, a void, or both at once). Seeded, so a failing run can be replayed with --seed N.
import type { PaymentMode, ProviderName } from '../../src/shared/payment.ts';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import type { Rng } from '../lib/rng.ts';

export { rng, type Rng } from '../lib/rng.ts';

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
export const between = (r: Rng, lo: number, hi: number): number => Math.round(lo + r() * (hi - lo));
const digits = (r: Rng, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

export type Scenario =
  | 'instant'
  | 'delayed'
  | 'decline' // provider test codes that act on their own
  | 'wallet_approve'
  | 'wallet_decline'
  | 'wallet_ignore' // a wallet-issued code; the customer acts on the phone (or not)
  | 'qr_pay'
  | 'qr_ignore'; // a merchant QR the customer pays, or walks away from

export const STORE: Record<ProviderName, { id: string; currency: string }> = {
  pockyt: { id: 'demo-us', currency: 'USD' },
  centrapay: { id: 'demo-nz', currency: 'NZD' },
  payby: { id: 'demo-ae', currency: 'AED' },
};

export function pickScenario(r: Rng, mode: PaymentMode, mustSucceed: boolean): Scenario {
  if (mode === 'mpm') return mustSucceed || r() < 0.75 ? 'qr_pay' : 'qr_ignore';
  if (mustSucceed) return pick(r, ['instant', 'delayed', 'wallet_approve'] as const);
  return pick(r, [
    'instant',
    'instant',
    'delayed',
    'delayed',
    'decline',
    'wallet_approve',
    'wallet_approve',
    'wallet_decline',
    'wallet_ignore',
  ] as const);
}

/** What a supervisor does once a payment is paid. The races send both requests at the same moment:
 *  void_vs_refund (a void and a partial refund), refunds_race (two refunds that cannot both fit). */
export type StaffPlan = 'none' | 'partial' | 'partial_then_rest' | 'full_refund' | 'void' | 'void_vs_refund' | 'refunds_race';

export function pickStaffPlan(r: Rng): StaffPlan {
  return pick(r, [
    'none',
    'none',
    'none',
    'partial',
    'partial',
    'partial_then_rest',
    'full_refund',
    'void',
    'void_vs_refund',
    'void_vs_refund',
    'refunds_race',
  ] as const);
}

/** A customer about to approve (or pay the QR) while the cashier presses Cancel at the same moment. */
export function cancelRacesApproval(r: Rng, s: Scenario): boolean {
  return (s === 'wallet_approve' || s === 'qr_pay') && r() < 0.25;
}

/** The customer's code for a test-code scenario (wallet scenarios get theirs from the simulator). */
export function testCode(r: Rng, provider: ProviderName, s: 'instant' | 'delayed' | 'decline'): string {
  if (provider === 'pockyt') return `28${digits(r, 12)}${{ instant: '0001', delayed: '0002', decline: '0003' }[s]}`;
  if (provider === 'centrapay') return testPatronCode({ instant: '0001', delayed: '0002', decline: '0003' }[s], `999000${digits(r, 5)}`);
  return `${{ instant: 'OK', delayed: 'PWD', decline: 'REJ' }[s]}${digits(r, 10)}`;
}

/** Simulator paths that take faults, per provider: the calls that charge, those that recover, and those that
 *  give money back (void/cancel/revoke, refund, and the refund's own query). */
export const FAULT_PATHS: Record<ProviderName, readonly string[]> = {
  pockyt: [
    '/app-instore/v3/add',
    '/app-instore/v3/prepay',
    '/app-instore/v3/create-trans-qrcode',
    '/app-data-search/v3/tran-query',
    '/app-data-search/v3/cancel',
    '/app-data-search/v3/refund',
  ],
  centrapay: [
    '/api/payment-requests',
    '/api/payment-requests/:paymentRequestId',
    '/api/payment-requests/external-ref/:externalRef',
    '/api/payment-requests/:paymentRequestId/void',
    '/api/payment-requests/:paymentRequestId/refund',
    '/api/payment-requests/:paymentRequestId/activities',
  ],
  payby: [
    '/acquire2/placeOrder',
    '/acquire2/getOrder',
    '/acquire2/cancelOrder',
    '/acquire2/revokeOrder',
    '/acquire2/refund/placeOrder',
    '/acquire2/refund/getOrder',
  ],
};

/** Control paths for the customer's phone. */
export function walletPaths(provider: ProviderName, providerRef: string) {
  const base =
    provider === 'pockyt'
      ? `/transactions/${providerRef}`
      : provider === 'centrapay'
        ? `/requests/${providerRef}`
        : `/orders/${providerRef}`;
  return { approve: `${base}/approve`, decline: `${base}/decline`, pay: `${base}/pay` };
}
