// The contract every provider adapter implements (DESIGN §6 rules). Adapters never touch the database:
// they turn our request into the provider's signed HTTP call and its answer into a verdict.
// Declines are values (status 'failed'); a thrown ProviderError means "no verdict".
import type { Money } from '../../src/shared/money.ts';
import type { ProviderName, Vendor } from '../../src/shared/payment.ts';

export type ProviderStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled' | 'expired' | 'reversed';

export interface ProviderVerdict {
  status: ProviderStatus;
  /** Provider's own id for the transaction (Pockyt transactionNo, Centrapay id, PayBy orderNo). */
  providerRef?: string;
  /** Only for declines: a stable code plus a message fit for the cashier's screen. */
  failure?: { code: string; message: string };
  /** Merchant-presented QR to display, with the provider's expiry and, where the provider has one, the
   *  short code a patron can type instead of scanning (Centrapay `CP-XXX-XXX`). */
  qr?: { payload: string; expiresAt: string; shortCode?: string };
  /** What the provider said, kept in the payment's event row for audit. */
  raw: unknown;
}

export class ProviderError extends Error {
  readonly code: string;
  /** true: the request may have moved money (timeout after send, 5xx, reset). Only a query can tell. */
  readonly outcomeUnknown: boolean;
  readonly providerRef?: string;
  readonly retryAfterMs?: number;
  readonly raw?: unknown;
  constructor(
    code: string,
    message: string,
    opts: { outcomeUnknown: boolean; providerRef?: string; retryAfterMs?: number; raw?: unknown; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ProviderError';
    this.code = code;
    this.outcomeUnknown = opts.outcomeUnknown;
    this.providerRef = opts.providerRef;
    this.retryAfterMs = opts.retryAfterMs;
    this.raw = opts.raw;
  }
}

/** Identifies one payment at the provider. `reference` is derived from our idempotency key, so a retry
 *  after a lost response finds the first attempt instead of creating a second. */
export interface ProviderRef {
  reference: string;
  providerRef?: string;
}

export interface ChargeCodeRequest {
  reference: string;
  amount: Money;
  code: string;
  vendor: Vendor;
  description?: string;
}

export interface CreateQrRequest {
  reference: string;
  amount: Money;
  vendor?: Vendor;
  notifyUrl: string;
  description?: string;
}

export interface RefundRequest extends ProviderRef {
  refundReference: string;
  amount: Money;
}

export interface PaymentAdapter {
  readonly name: ProviderName;
  readonly currencies: readonly string[];
  /** Wallets this provider charges from a scanned customer code. */
  readonly cpmVendors: readonly Vendor[];
  /** How long a customer has to confirm in their wallet before we give up and cancel (ms). */
  readonly confirmWindowMs: number;
  chargeCode(req: ChargeCodeRequest): Promise<ProviderVerdict>;
  createQr?(req: CreateQrRequest): Promise<ProviderVerdict>;
  /** Current truth at the provider. `null` when the provider has no record of the reference. */
  query(ref: ProviderRef): Promise<ProviderVerdict | null>;
  /** Cancel if unpaid; Pockyt's cancel also reverses a captured payment. */
  cancel(ref: ProviderRef): Promise<ProviderVerdict>;
  refund(req: RefundRequest): Promise<{ status: 'succeeded' | 'failed' | 'pending'; providerRef?: string; raw: unknown }>;
}
