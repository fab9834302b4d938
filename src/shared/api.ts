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
    maxAmount: Money;
    receiptFooter?: string;
  };
  demo: boolean;
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
  qr?: { payload: string; expiresAt: string };
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
