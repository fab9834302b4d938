// What the customer display shows for a given kiosk state. Pure, and builds plain objects only: the result
// is posted on a BroadcastChannel, which cannot clone Svelte state proxies.
import { VENDOR_LABELS } from '../../shared/classify';
import type { Money } from '../../shared/money';
import type { Vendor } from '../../shared/payment';
import type { FlowPhase, MpmState } from '../checkout/attempt-types';
import { lineTotal, type CartLine } from '../checkout/cart-math';
import { PROVIDER_LABELS } from '../../shared/providers';
import type { DisplayView } from './protocol';

export interface KioskSnapshot {
  route: string;
  storeName: string | null;
  locale: string;
  lines: readonly CartLine[];
  total: Money;
  /** The scanned-code payment on the Pay screen. */
  cpm: { phase: FlowPhase; amount: Money; vendor: Vendor | null } | null;
  mpm: MpmState | null;
  receipt: { amount: Money; wallet: string } | null;
}

const money = (m: Money): Money => ({ value: m.value, currency: m.currency });

const NOT_PAID = 'The payment did not go through. No money was taken.';

function mpmView(m: MpmState, base: { storeName: string | null; locale: string }): DisplayView {
  const amount = money(m.amount);
  switch (m.phase) {
    case 'showing':
    case 'checking':
      if (m.qr) {
        return {
          ...base,
          screen: 'qr',
          amount,
          payload: m.qr.payload,
          expiresAt: m.qr.expiresAt,
          label: m.option.label,
          provider: PROVIDER_LABELS[m.option.provider],
          shortCode: m.qr.shortCode ?? null,
        };
      }
      return { ...base, screen: 'working', amount, text: 'Preparing your QR code…' };
    case 'creating':
    case 'reconnecting':
    case 'waiting':
    case 'renewing':
      return { ...base, screen: 'working', amount, text: 'Preparing your QR code…' };
    case 'cancelling':
      return { ...base, screen: 'working', amount, text: 'Cancelling…' };
    case 'expired':
      return { ...base, screen: 'failed', amount, message: 'This QR code has expired. Nothing was paid with it.' };
    case 'cancelled':
      return { ...base, screen: 'failed', amount, message: 'Payment cancelled. No money was taken.' };
    case 'paid': {
      const vendor = m.payment?.vendor ?? m.option.vendor;
      return { ...base, screen: 'paid', amount, wallet: vendor ? VENDOR_LABELS[vendor] : PROVIDER_LABELS[m.option.provider] };
    }
    case 'failed':
      return { ...base, screen: 'failed', amount, message: NOT_PAID };
  }
}

function cartView(s: KioskSnapshot, base: { storeName: string | null; locale: string }, note: string | null): DisplayView {
  return {
    ...base,
    screen: 'cart',
    note,
    total: money(s.total),
    lines: s.lines.map((l) => ({ name: l.name, qty: l.qty, total: money(lineTotal(l)) })),
  };
}

export function displayViewOf(s: KioskSnapshot): DisplayView {
  const base = { storeName: s.storeName, locale: s.locale };
  if (s.route === 'mpm' && s.mpm) return mpmView(s.mpm, base);
  if (s.route === 'paid' && s.receipt) return { ...base, screen: 'paid', amount: money(s.receipt.amount), wallet: s.receipt.wallet };
  if (s.route === 'pay' && s.cpm) {
    const amount = money(s.cpm.amount);
    switch (s.cpm.phase) {
      case 'paid':
        return { ...base, screen: 'paid', amount, wallet: s.cpm.vendor ? VENDOR_LABELS[s.cpm.vendor] : 'Wallet' };
      case 'declined':
        return { ...base, screen: 'failed', amount, message: NOT_PAID };
      case 'pending':
        return cartView(s, base, 'Please confirm the payment in your wallet app.');
      case 'ready':
        return cartView(s, base, "Please show your wallet's payment code to the scanner.");
      default:
        return cartView(s, base, null);
    }
  }
  return s.lines.length > 0 ? cartView(s, base, null) : { ...base, screen: 'idle' };
}
