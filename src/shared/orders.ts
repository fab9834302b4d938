// Orders as the kiosk sends them to `POST /api/orders` (DESIGN §5, §9). The id is made on the tablet
// (crypto.randomUUID()) when the sale starts, so an order rung up offline already has its final id and
// every replay of the same upload names the same row.
import type { Money } from './money';

/** What the kiosk may report. `paid` is only accepted once the proxy itself holds a succeeded payment. */
export const ORDER_STATUSES = ['open', 'queued', 'parked', 'paying', 'paid'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderLine {
  sku?: string | null;
  name: string;
  quantity: number;
  unitPrice: Money;
}

export interface OrderUpsertRequest {
  id: string;
  lines: OrderLine[];
  total: Money;
  /** When the sale started on the tablet (ISO 8601). The tablet's clock: informative, never trusted for order. */
  createdAt: string;
  status: OrderStatus;
}

export interface OrderView extends OrderUpsertRequest {
  /** Server time of the last accepted change. */
  updatedAt: string;
  receivedAt: string;
}

export const ORDER_LIMITS = {
  maxLines: 200,
  maxNameLength: 100,
  maxSkuLength: 64,
  maxQuantity: 999,
} as const;

export const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
