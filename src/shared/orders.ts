// Orders as the kiosk sends them to `POST /api/orders` (DESIGN §5, §9). The id is made on the tablet
// (crypto.randomUUID()) when the sale starts, so an order rung up offline already has its final id and
// every replay of the same upload names the same row.
import type { Static } from 'typebox';
import type * as S from './api-schemas';

/** What the kiosk may report. `paid` is only accepted once the proxy itself holds a succeeded payment. */
export const ORDER_STATUSES = ['open', 'queued', 'parked', 'paying', 'paid'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** `sku` is absent or null for an open-amount line. */
export type OrderLine = Static<typeof S.OrderLine>;

/** `createdAt`: when the sale started on the tablet (ISO 8601). The tablet's clock: informative, never
 *  trusted for order. */
export type OrderUpsertRequest = Static<typeof S.OrderUpsertRequest>;

/** Adds `updatedAt` (server time of the last accepted change) and `receivedAt`. */
export type OrderView = Static<typeof S.OrderView>;

export const ORDER_LIMITS = {
  maxLines: 200,
  maxNameLength: 100,
  maxSkuLength: 64,
  maxQuantity: 999,
} as const;

/** The name a keypad (open-amount) line is saved under; each page shows it in its reader's language. */
export const OPEN_AMOUNT_NAME = 'Open amount';

export const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
