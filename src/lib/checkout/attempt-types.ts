// Types shared by the payment attempt machine, its reactive wrapper and the screens.
import type { CreatePaymentRequest, PaymentView } from '../../shared/api';
import type { Money } from '../../shared/money';
import type { PaymentMode, Vendor } from '../../shared/payment';

export interface PaymentTransport {
  createPayment(req: CreatePaymentRequest, idempotencyKey: string): Promise<PaymentView>;
  getPayment(id: string): Promise<PaymentView>;
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

export interface FlowDeps {
  api: PaymentTransport;
  events: PaymentUpdates;
  acceptedVendors: readonly Vendor[];
  newKey?: () => string;
  now?: () => number;
  pollIntervalMs?: number;
  /** Poll even with SSE up when no event arrived for this long. */
  eventGraceMs?: number;
  /** Backoff for resending a request whose answer was lost; the last value repeats. */
  retryDelaysMs?: readonly number[];
}

export type FlowPhase =
  | 'ready' // waiting for a code
  | 'sending' // charge request in flight
  | 'reconnecting' // answer lost; resending the same request (same key)
  | 'pending' // waiting for the customer to confirm in the wallet
  | 'checking' // provider outcome unknown; proxy is finding out
  | 'cancelling'
  | 'paid'
  | 'declined' // failed / refused / expired: no money moved, another code may be tried
  | 'cancelled';

export interface FlowError {
  code: string;
  message: string;
}

export interface FlowState {
  phase: FlowPhase;
  orderId: string;
  amount: Money;
  vendor: Vendor | null;
  code: string | null;
  idempotencyKey: string | null;
  /** Attempts started for this order in this flow. */
  attempt: number;
  payment: PaymentView | null;
  /** Why the last code or attempt did not go through (shown in pay-error). */
  error: FlowError | null;
  /** Consecutive lost answers for the current request. */
  sendFailures: number;
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
