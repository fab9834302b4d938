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
