// Sales history (issue 11, items 1-3): GET /api/payments (search, cursor paging) and GET /api/payments/:id/detail.
// Same conventions as api-schemas.ts (which this extends): strict requests with a refusal code per field,
// money as {value, currency} in minor units.
import { Type } from 'typebox';
import { Money, Nullable, PaymentView, RefundView, StaffAction, refusedAs } from './api-schemas';
import { PAYMENT_STATUSES } from './payment';
import { PROVIDER_NAMES, VENDORS } from './providers';

const listOf = (values: readonly string[]) => `^(?:${values.join('|')})(?:,(?:${values.join('|')}))*$`;
/** A business day (YYYY-MM-DD, the store's timezone) or an instant (ISO 8601 with Z or an offset). */
const DAY_OR_INSTANT = '^\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,3})?)?(?:Z|[+-]\\d{2}:\\d{2}))?$';
const time = (name: string) =>
  Type.Optional(
    Type.String({
      maxLength: 40,
      pattern: DAY_OR_INSTANT,
      ...refusedAs(
        `invalid_${name}`,
        `${name} must be a date (YYYY-MM-DD, the store's day) or an ISO 8601 time such as 2026-12-04T09:30:00Z.`,
      ),
    }),
  );

export const HistoryScope = Type.Enum(['terminal', 'store']);

export const ListPaymentsQuery = Type.Object({
  /** The kiosk's recovery: the attempts of one order (all other filters are ignored then). */
  orderId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 128, ...refusedAs('invalid_order_id', 'orderId must be 1-128 characters.') }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, ...refusedAs('invalid_limit', 'limit must be 1-200.') })),
  from: time('from'),
  to: time('to'),
  status: Type.Optional(
    Type.String({
      maxLength: 300,
      pattern: listOf(PAYMENT_STATUSES),
      ...refusedAs('invalid_status', `status must be a comma-separated list of ${PAYMENT_STATUSES.join(', ')}.`),
    }),
  ),
  provider: Type.Optional(
    Type.String({
      maxLength: 100,
      pattern: listOf(PROVIDER_NAMES),
      ...refusedAs('invalid_provider', `provider must be a comma-separated list of ${PROVIDER_NAMES.join(', ')}.`),
    }),
  ),
  vendor: Type.Optional(
    Type.String({
      maxLength: 100,
      pattern: listOf(VENDORS),
      ...refusedAs('invalid_vendor', `vendor must be a comma-separated list of ${VENDORS.join(', ')}.`),
    }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      ...refusedAs(
        'invalid_q',
        'q must be 1-64 characters: an amount, the last digits of the code, a provider reference or a receipt number.',
      ),
    }),
  ),
  scope: Type.Optional(Type.Enum(['terminal', 'store'], refusedAs('invalid_scope', 'scope must be "terminal" or "store".'))),
  cursor: Type.Optional(
    Type.String({
      maxLength: 200,
      pattern: '^[A-Za-z0-9_-]+$',
      ...refusedAs('invalid_cursor', 'cursor must be the nextCursor of an earlier answer.'),
    }),
  ),
});

/** One sale in the history: the payment, which terminal took it, and the last digits of the customer's code. */
export const HistoryPayment = Type.Object({
  ...PaymentView.properties,
  terminalId: Type.String(),
  codeSuffix: Nullable(Type.String()),
});

/** Newest first; `nextCursor` fetches the next (older) page, null on the last. */
export const PaymentList = Type.Object({ payments: Type.Array(HistoryPayment), nextCursor: Nullable(Type.String()) });

export const DetailQuery = Type.Object({
  scope: Type.Optional(Type.Enum(['terminal', 'store'], refusedAs('invalid_scope', 'scope must be "terminal" or "store".'))),
});

export const SaleLine = Type.Object({ sku: Nullable(Type.String()), name: Type.String(), quantity: Type.Integer(), unitPrice: Money });

export const TimelineEntry = Type.Object({
  at: Type.String(),
  /** status: a payment_events row; refund: a refund's current state; staff: an audited staff action. */
  kind: Type.Enum(['status', 'refund', 'staff']),
  source: Type.String(),
  from: Nullable(Type.String()),
  to: Type.String(),
  /** false: a change the state table refused (stale or out of order), recorded and ignored. */
  applied: Type.Boolean(),
  amount: Type.Optional(Money),
  staff: Nullable(Type.String()),
});

export const PaymentDetail = Type.Object({
  payment: HistoryPayment,
  store: Type.Object({ name: Type.String(), address: Nullable(Type.String()), taxId: Nullable(Type.String()) }),
  terminalName: Nullable(Type.String()),
  lines: Type.Array(SaleLine),
  /** Who took the sale, where the server recorded it. */
  takenBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  refunds: Type.Array(RefundView),
  /** What a refund may still take: the amount less every refund not failed. */
  refundable: Money,
  actions: Type.Array(StaffAction),
  timeline: Type.Array(TimelineEntry),
});
