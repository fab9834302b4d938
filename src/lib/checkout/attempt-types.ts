// Types of a payment attempt — the core, its two strategies (customer-presented code, merchant-presented QR),
// the checkout manager, the screens and the customer display all read them.
import type { CreatePaymentRequest, MpmOption, PaymentView } from '../../shared/api';
import type { Money } from '../../shared/money';
import type { PaymentMode, Vendor } from '../../shared/payment';

export interface PaymentTransport {
  createPayment(req: CreatePaymentRequest, idempotencyKey: string): Promise<PaymentView>;
  getPayment(id: string, opts?: { fresh?: boolean }): Promise<PaymentView>;
  cancelPayment(id: string): Promise<PaymentView>;
  listOrderPayments?(orderId: string): Promise<PaymentView[]>;
}

export interface PaymentUpdates {
  subscribe(cb: (payment: PaymentView) => void): () => void;
  isConnected(): boolean;
  /** The last view the stream pushed for this payment, if any: a push can arrive before the create answer
   *  that tells the flow its payment id (the customer approved at once). */
  latest?(paymentId: string): PaymentView | undefined;
}

export interface AttemptDeps {
  api: PaymentTransport;
  events: PaymentUpdates;
  newKey?: () => string;
  now?: () => number;
  pollIntervalMs?: number;
  /** Poll even with SSE up when no event arrived for this long. */
  eventGraceMs?: number;
  /** Backoff for resending a request whose answer was lost; the last value repeats. */
  retryDelaysMs?: readonly number[];
}

export interface FlowError {
  code: string;
  message: string;
}

/** Phases every attempt has, whatever presents the code. */
export type CorePhase = 'reconnecting' | 'waiting' | 'checking' | 'cancelling' | 'cancelled' | 'paid';

/** What the core keeps for every attempt; each strategy adds its own fields and phases. */
export interface AttemptState<P extends string = string> {
  phase: P | CorePhase;
  orderId: string;
  amount: Money;
  /** Made before the first send of an attempt and reused for every resend of it. */
  idempotencyKey: string | null;
  /** Attempts started for this order in this flow. */
  attempt: number;
  payment: PaymentView | null;
  /** Why the last code or attempt did not go through. */
  error: FlowError | null;
  /** Consecutive lost answers for the current request. */
  sendFailures: number;
}

/** The phases a strategy names for itself. */
export interface StrategyPhases<P extends string> {
  /** While the create request is out. */
  sending: P;
  /** The proxy refused the request, or the payment failed: no money moved. */
  refused: P;
  /** Nothing is in flight or open at the proxy: Cancel ends at once and the order may leave the screen. */
  resting: readonly P[];
  /** Making sure the old payment is dead before a new one is made (strategies that renew). */
  renewing?: P;
}

// --- Customer-presented: the kiosk scans the customer's wallet code (Pay screen) ---

export interface FlowDeps extends AttemptDeps {
  acceptedVendors: readonly Vendor[];
}

export type FlowPhase =
  | 'ready' // waiting for a code
  | 'sending' // charge request in flight
  | 'reconnecting' // answer lost; resending the same request (same key)
  | 'waiting' // the proxy asked us to slow down (429 Retry-After): the same request goes again after the wait
  | 'pending' // waiting for the customer to confirm in the wallet
  | 'checking' // provider outcome unknown; proxy is finding out
  | 'cancelling'
  | 'paid'
  | 'declined' // failed / refused / expired: no money moved, another code may be tried
  | 'cancelled';

export interface FlowState extends AttemptState<FlowPhase> {
  vendor: Vendor | null;
  code: string | null;
}

export type SubmitResult = { ok: true } | { ok: false; reason: 'busy' | 'rejected' };

/** A journaled attempt the flow can pick up again (src/lib/offline/types.ts AttemptRecord fits). */
export interface ResumableAttempt {
  idempotencyKey: string;
  orderId: string;
  amount: Money;
  mode: PaymentMode;
  vendor?: Vendor | null;
}

// --- Merchant-presented: the kiosk shows a QR the customer pays (Mpm screen, customer display) ---

export type MpmDeps = AttemptDeps;

export type MpmPhase =
  | 'creating' // asking the proxy (and the provider) for a QR
  | 'reconnecting' // the answer was lost; resending the same request with the same key
  | 'waiting' // the proxy asked us to slow down (429 Retry-After): the same request goes again after the wait
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

export interface MpmState extends AttemptState<MpmPhase> {
  option: MpmOption;
  /** The QR of the current attempt (kept if a later update leaves it out). */
  qr: MpmQr | null;
}
