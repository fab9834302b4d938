// The customer-facing display (/display, a second window or screen) is a pure listener: the kiosk posts what
// the customer should see on a BroadcastChannel, so the display needs no pairing or token of its own and
// never talks to the proxy. Same-origin only (BroadcastChannel), so nothing outside this browser hears it.
import type { Money } from '../../shared/money';

export const DISPLAY_CHANNEL = 'kiosk-display';

export interface DisplayLine {
  name: string;
  qty: number;
  total: Money;
}

interface Common {
  storeName: string | null;
  locale: string;
  /** The kiosk's language (en, zh-CN, ar). */
  language?: string;
}

export type DisplayView =
  | (Common & { screen: 'idle' })
  | (Common & { screen: 'cart'; lines: DisplayLine[]; total: Money; note: string | null })
  | (Common & { screen: 'working'; amount: Money; text: string })
  | (Common & {
      screen: 'qr';
      amount: Money;
      payload: string;
      expiresAt: string;
      label: string;
      provider: string;
      shortCode: string | null;
    })
  | (Common & { screen: 'paid'; amount: Money; wallet: string })
  | (Common & { screen: 'failed'; amount: Money | null; message: string });

export type DisplayMessage =
  /** Kiosk → displays: what to show now (sent on every change, and in answer to hello). */
  | { kind: 'state'; view: DisplayView }
  /** Display → kiosk: a display opened (or reloaded) and wants the current view. */
  | { kind: 'hello' };

export function isDisplayMessage(v: unknown): v is DisplayMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { kind?: unknown; view?: { screen?: unknown } };
  if (m.kind === 'hello') return true;
  return m.kind === 'state' && typeof m.view === 'object' && m.view !== null && typeof m.view.screen === 'string';
}
