// Kiosk ↔ proxy API v1 types (DESIGN §5). The server produces these shapes; the kiosk consumes them.
import type { Money } from './money';
import type { PaymentMode, PaymentStatus, ProviderName, Vendor } from './payment';

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface PairResponse {
  terminalId: string;
  token: string;
}

export interface CatalogueItem {
  sku: string;
  name: string;
  price: Money;
}

/** A merchant-presented QR the store offers ("Show QR to customer"): which provider makes it and, for
 *  providers that serve several wallets (Pockyt), which wallet it is for. Send provider + vendor back as
 *  `POST /api/payments {mode:'mpm', provider, vendor?}`. */
export interface MpmOption {
  provider: ProviderName;
  vendor?: Vendor;
  label: string;
}

/** A store a demo terminal can switch to with `PUT /api/terminal/store {storeId}`. */
export interface StoreSummary {
  id: string;
  name: string;
  currency: string;
  locale: string;
}

/** GET /api/terminal — what a paired kiosk needs to ring up sales. */
export interface TerminalInfo {
  terminalId: string;
  store: {
    id: string;
    name: string;
    currency: string;
    locale: string;
    catalogue: CatalogueItem[];
    /** Wallets this store takes for customer-presented codes, with the provider serving each. */
    acceptedVendors: { vendor: Vendor; provider: ProviderName; label: string }[];
    /** Merchant-presented QR options this store offers (only providers configured on this server). */
    mpmOptions: MpmOption[];
    maxAmount: Money;
    receiptFooter?: string;
  };
  demo: boolean;
  /** Demo mode only: every store this terminal may switch to (PUT /api/terminal/store). */
  availableStores?: StoreSummary[];
}

/** PUT /api/terminal/store (demo mode only; 409 while the terminal has an open payment) → TerminalInfo. */
export interface SwitchStoreRequest {
  storeId: string;
}

export interface CreatePaymentRequest {
  orderId: string;
  amount: Money;
  mode: PaymentMode;
  code?: string;
  provider?: ProviderName;
  vendor?: Vendor;
}

export interface PaymentView {
  id: string;
  orderId: string;
  status: PaymentStatus;
  mode: PaymentMode;
  provider: ProviderName;
  vendor: Vendor | null;
  amount: Money;
  refundedAmount: Money;
  /** Provider's transaction number (shown on the receipt). */
  providerRef: string | null;
  /** Merchant-presented QR: the payload to render, the provider's expiry, and the provider's short code
   *  for manual entry where it has one (Centrapay `CP-XXX-XXX`). */
  qr?: { payload: string; expiresAt: string; shortCode?: string };
  failure?: { code: string; message: string };
  needsAttention: boolean;
  late?: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Body of one SSE `payment.updated` event. */
export interface PaymentEvent {
  eventId: number;
  payment: PaymentView;
}

/** Refund of (part of) a payment: a child of the payment with its own status. `created`/`pending`/`unknown`
 *  still count against what is left to refund; the payment becomes partially_refunded/refunded from the sum
 *  of `succeeded` ones. */
export type RefundStatus = 'created' | 'pending' | 'unknown' | 'succeeded' | 'failed';

export interface RefundView {
  id: string;
  paymentId: string;
  amount: Money;
  status: RefundStatus;
  /** The provider's id for the refund, where it gives one. */
  providerRef: string | null;
  failure?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
}

/** POST /api/payments/:id/refunds + Idempotency-Key + supervisor PIN (header X-Staff-Pin or body `pin`). */
export interface CreateRefundRequest {
  amount: Money;
  pin?: string;
}

/** Answer to a refund request (201 new, 200 replay of the same Idempotency-Key). */
export interface RefundResponse {
  refund: RefundView;
  payment: PaymentView;
}

/** What staff can do from the "Needs attention" list; each is a POST on /api/payments/:id/<action>.
 *  recheck/cancel need no PIN; void, refund (→ /refunds) and acknowledge need a supervisor PIN. */
export type StaffAction = 'recheck' | 'cancel' | 'void' | 'refund' | 'acknowledge';

export interface StaffActionRoute {
  method: 'POST';
  path: string;
  supervisorPin: boolean;
}

/** GET /api/attention → {items: AttentionItem[]} */
export interface AttentionItem {
  payment: PaymentView;
  reason: string;
  message: string;
  since: string | null;
  providerRef: string | null;
  nextCheckAt: string | null;
  actions: StaffAction[];
  /** For each action in `actions`: where to send it and whether a supervisor PIN is needed. */
  routes: Partial<Record<StaffAction, StaffActionRoute>>;
  /** Refunds of this payment (pending ones included). */
  refunds: RefundView[];
}
