// What the customer display shows for a given kiosk state. Pure, and builds plain objects only: the result
// is posted on a BroadcastChannel, which cannot clone Svelte state proxies.
import { VENDOR_LABELS } from '../../shared/classify';
import type { Money } from '../../shared/money';
import type { Vendor } from '../../shared/payment';
import type { FlowPhase, MpmState } from '../checkout/attempt-types';
import { lineTotal, type CartLine } from '../checkout/cart-math';
import { PROVIDER_LABELS } from '../../shared/providers';
import type { DisplayView } from './protocol';
import { m as msg } from '../../paraglide/messages.js';
import { lineName } from '../i18n/names';

export interface KioskSnapshot {
  route: string;
  storeName: string | null;
  locale: string;
  /** The kiosk's language: the display speaks it too. */
  language?: string;
  lines: readonly CartLine[];
  total: Money;
  /** The scanned-code payment on the Pay screen. */
  cpm: { phase: FlowPhase; amount: Money; vendor: Vendor | null } | null;
  mpm: MpmState | null;
  receipt: { amount: Money; wallet: string } | null;
}

const money = (m: Money): Money => ({ value: m.value, currency: m.currency });

const notPaid = () => msg.display_not_paid();

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
      return { ...base, screen: 'working', amount, text: msg.display_preparing_qr() };
    case 'creating':
    case 'reconnecting':
    case 'waiting':
    case 'renewing':
      return { ...base, screen: 'working', amount, text: msg.display_preparing_qr() };
    case 'cancelling':
      return { ...base, screen: 'working', amount, text: msg.status_cancelling() };
    case 'expired':
      return { ...base, screen: 'failed', amount, message: msg.display_qr_expired() };
    case 'cancelled':
      return { ...base, screen: 'failed', amount, message: msg.display_cancelled() };
    case 'paid': {
      const vendor = m.payment?.vendor ?? m.option.vendor;
      return { ...base, screen: 'paid', amount, wallet: vendor ? VENDOR_LABELS[vendor] : PROVIDER_LABELS[m.option.provider] };
    }
    case 'failed':
      return { ...base, screen: 'failed', amount, message: notPaid() };
  }
}

function cartView(s: KioskSnapshot, base: { storeName: string | null; locale: string }, note: string | null): DisplayView {
  return {
    ...base,
    screen: 'cart',
    note,
    total: money(s.total),
    lines: s.lines.map((l) => ({ name: lineName(l.name), qty: l.qty, total: money(lineTotal(l)) })),
  };
}

export function displayViewOf(s: KioskSnapshot): DisplayView {
  const base = { storeName: s.storeName, locale: s.locale, ...(s.language ? { language: s.language } : {}) };
  if (s.route === 'mpm' && s.mpm) return mpmView(s.mpm, base);
  if (s.route === 'paid' && s.receipt) return { ...base, screen: 'paid', amount: money(s.receipt.amount), wallet: s.receipt.wallet };
  if (s.route === 'pay' && s.cpm) {
    const amount = money(s.cpm.amount);
    switch (s.cpm.phase) {
      case 'paid':
        return { ...base, screen: 'paid', amount, wallet: s.cpm.vendor ? VENDOR_LABELS[s.cpm.vendor] : msg.override_wallet() };
      case 'declined':
        return { ...base, screen: 'failed', amount, message: notPaid() };
      case 'pending':
        return cartView(s, base, msg.display_confirm_in_wallet());
      case 'ready':
        return cartView(s, base, msg.display_show_code());
      default:
        return cartView(s, base, null);
    }
  }
  return s.lines.length > 0 ? cartView(s, base, null) : { ...base, screen: 'idle' };
}
