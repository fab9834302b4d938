// What the kiosk keeps in IndexedDB (DESIGN §9). Orders are the cashier's work and must survive a reload,
// a crash or a day without network; attempts are the payment journal that makes "charged twice" impossible
// to cause by a retry after a crash.
import type { Money } from '../../shared/money';
import type { OrderLine } from '../../shared/orders';
import type { PaymentMode, PaymentStatus, ProviderName, Vendor } from '../../shared/payment';

/**
 * open    — reopened by staff (or being rung up) and editable;
 * queued  — saved because the network was down at "Pay", waiting for staff and for upload;
 * parked  — put aside on purpose ("customer fetches their wallet"), online or not;
 * paying  — a payment attempt for it is in flight: not editable, not payable again;
 * paid    — the proxy confirmed a payment, upload of the paid state pending;
 * synced  — paid and the proxy has the paid order: done, it leaves the queue.
 */
export type LocalOrderStatus = 'open' | 'queued' | 'parked' | 'paying' | 'paid' | 'synced';

export interface OrderRecord {
  id: string;
  lines: OrderLine[];
  total: Money;
  status: LocalOrderStatus;
  createdAt: string;
  updatedAt: string;
  /** When the proxy last acknowledged this order. */
  syncedAt?: string;
  /** Bumped on every local change; the upload records which revision the proxy acknowledged. */
  revision: number;
  syncedRevision: number;
  /** Payment id once the order is paid (for the receipt and the Orders screen). */
  paymentId?: string;
  /** The proxy refused this revision (4xx): shown to staff, not retried until the order changes. */
  syncError?: { code: string; message: string; status: number; revision: number };
}

/** Journal status: `sending` is written BEFORE the first request, so a crash mid-send is still on record. */
export type AttemptStatus = 'sending' | PaymentStatus;

export interface AttemptRecord {
  idempotencyKey: string;
  orderId: string;
  amount: Money;
  mode: PaymentMode;
  vendor?: Vendor | null;
  provider?: ProviderName | null;
  paymentId?: string;
  providerRef?: string | null;
  status: AttemptStatus;
  createdAt: string;
  updatedAt: string;
}

export interface QueueCounts {
  /** Orders waiting for payment (queued + parked + open): the badge number. */
  waiting: number;
  /** Saved at "Pay" while offline. */
  queued: number;
  parked: number;
  /** Reopened by staff / being edited. */
  open: number;
  paying: number;
  /** Orders whose latest change the proxy has not acknowledged yet (the upload backlog). */
  unsynced: number;
  /** Uploads the proxy refused; they need staff attention. */
  failed: number;
}
