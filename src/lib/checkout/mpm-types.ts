// Types for showing the customer a merchant-presented QR (MPM) for one order: the machine, its reactive
// wrapper, the Mpm screen and the customer display all read this state.
import type { MpmOption, PaymentView } from '../../shared/api';
import type { Money } from '../../shared/money';
import type { ProviderName } from '../../shared/payment';
import type { FlowError, PaymentTransport, PaymentUpdates } from './attempt-types';

export type MpmPhase =
  | 'creating' // asking the proxy (and the provider) for a QR
  | 'reconnecting' // the answer was lost; resending the same request with the same key
  | 'showing' // QR on screen, waiting for the customer to pay
  | 'checking' // provider outcome unknown; the proxy is finding out
  | 'expired' // the QR's time is up (our clock or the provider's): offer a new code
  | 'renewing' // making sure the old QR is dead at the provider before a new one is made
  | 'cancelling'
  | 'cancelled'
  | 'paid'
  | 'failed'; // refused or failed: no money moved; a new code may be made

export interface MpmQr {
  payload: string;
  expiresAt: string;
  shortCode?: string;
}

export interface MpmState {
  phase: MpmPhase;
  orderId: string;
  amount: Money;
  option: MpmOption;
  /** Made before the first send of an attempt and reused for every resend of it. */
  idempotencyKey: string | null;
  /** Attempts (QRs asked for) in this flow. */
  attempt: number;
  payment: PaymentView | null;
  /** The QR of the current attempt (kept if a later update leaves it out). */
  qr: MpmQr | null;
  error: FlowError | null;
  /** Consecutive lost answers for the current request. */
  sendFailures: number;
}

export interface MpmDeps {
  api: PaymentTransport;
  events: PaymentUpdates;
  newKey?: () => string;
  now?: () => number;
  pollIntervalMs?: number;
  eventGraceMs?: number;
  /** Backoff for resending a request whose answer was lost; the last value repeats. */
  retryDelaysMs?: readonly number[];
}

export { PROVIDER_LABELS } from '../../shared/providers';
