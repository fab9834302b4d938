// Kiosk ↔ proxy API v1 (DESIGN §5) as TypeBox schemas: the proxy validates requests and serializes answers
// with them, and src/shared/api.ts derives the kiosk's types from them (type-only, so TypeBox never reaches
// the kiosk bundle). Pure: no I/O, no server imports.
//
// Requests: every string has a maxLength and every object refuses unknown fields. Shape only — money rules
// (positive, within the store's limit, the store's currency), code classification and routing stay in the
// proxy's code. A node's `x-error` names the code and message the proxy answers when the value there is wrong
// (`x-missing` when it is absent); "{field}" becomes the value's path, e.g. lines[0].unitPrice.
import { Type, type Static, type TSchema, type TSchemaOptions } from 'typebox';
import { ORDER_ID_PATTERN, ORDER_LIMITS, ORDER_STATUSES } from './orders';
import { PAYMENT_MODES, PAYMENT_STATUSES } from './payment';
import { PROVIDER_NAMES, VENDORS } from './providers';
import { SelfCheckoutInfo, StaffCallView } from './self-checkout-schemas';

export interface SchemaRefusal {
  code: string;
  message: string;
}

export function refusedAs(code: string, message: string, missing?: SchemaRefusal): Record<string, SchemaRefusal> {
  return missing ? { 'x-error': { code, message }, 'x-missing': missing } : { 'x-error': { code, message } };
}

/** T (a scalar or a string enum) or null, as one JSON Schema type list rather than anyOf: fast-json-stringify
 *  writes a type list inline, while anyOf makes it build an Ajv validator on first use (~60 ms on the first
 *  answer of each route). */
export function Nullable<T extends TSchema>(t: T, options?: TSchemaOptions) {
  const { type, enum: values, ...rest } = t as { type?: string; enum?: unknown[] };
  const schema = values ? { ...rest, type: ['string', 'null'], enum: [...values, null] } : { ...rest, type: [type, 'null'] };
  return Type.Unsafe<Static<T> | null>({ ...schema, ...options });
}

const strict = { additionalProperties: false } as const;
/** Printable ASCII without spaces (ids and keys the kiosk makes). */
const PRINTABLE = '^[\\x21-\\x7e]+$';
/** Strict ISO 8601 UTC as Date.prototype.toISOString() writes it (what the kiosk sends). */
const ISO_UTC = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$';

// ── shared pieces ─────────────────────────────────────────────────────────────────────────────────────────

export const Money = Type.Object(
  {
    value: Type.Integer(refusedAs('invalid_amount', '{field} must be a whole number of minor units (e.g. 1250 for 12.50).')),
    currency: Type.String({
      maxLength: 3,
      pattern: '^[A-Z]{3}$',
      ...refusedAs('invalid_currency', '{field} must be an ISO 4217 code such as "USD".'),
    }),
  },
  { ...strict, ...refusedAs('invalid_amount', '{field} must be an object {value, currency}.') },
);

export const PaymentStatus = Type.Enum(PAYMENT_STATUSES);
export const PaymentMode = Type.Enum(PAYMENT_MODES);
export const ProviderName = Type.Enum(PROVIDER_NAMES);
export const Vendor = Type.Enum(VENDORS);
const Failure = Type.Object({ code: Type.String(), message: Type.String() });

export const ApiErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});

// ── headers and path parameters ───────────────────────────────────────────────────────────────────────────

/** One key per payment (or refund) attempt, reused on every retry of it. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    maxLength: 255,
    pattern: PRINTABLE,
    ...refusedAs('invalid_idempotency_key', 'Idempotency-Key must be 1-255 printable ASCII characters without spaces.', {
      code: 'idempotency_key_required',
      message: 'Send an Idempotency-Key header (one per payment attempt, reused on retries).',
    }),
  }),
});

/** Money-moving staff actions carry the supervisor's PIN here (or in the body's `pin`). */
export const StaffPinHeaders = Type.Object({ 'x-staff-pin': Type.Optional(Type.String({ maxLength: 64 })) });
const Pin = Type.Optional(Type.String({ maxLength: 64 }));

export const RefundHeaders = Type.Object({ ...IdempotencyHeaders.properties, ...StaffPinHeaders.properties });

/** (Fastify's router already refuses a path parameter over 100 characters: 414 uri_too_long.) */
export const PaymentParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

// fresh=1: a kiosk polling for want of pushes; the proxy asks the provider before answering.
export const PaymentReadQuery = Type.Object({ fresh: Type.Optional(Type.Literal('1', refusedAs('invalid_fresh', 'fresh must be 1.'))) });

// ── pairing and the terminal ──────────────────────────────────────────────────────────────────────────────

const pairing = refusedAs('invalid_pairing_code', 'Send {"code": "<pairing code>"}.');

/** POST /api/terminals/pair (the only /api route without a terminal token). */
export const PairRequest = Type.Object(
  {
    code: Type.String({ minLength: 4, maxLength: 64, ...pairing }),
    name: Type.Optional(
      Type.String({ maxLength: 256, ...refusedAs('invalid_terminal_name', 'name must be text of at most 256 characters.') }),
    ),
  },
  { ...strict, ...pairing },
);

export const PairResponse = Type.Object({ terminalId: Type.String(), token: Type.String() });

export const CatalogueItem = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  price: Money,
  /** Store-written group for the kiosk's category chips (config/stores/*.json); absent: uncategorised. */
  category: Type.Optional(Type.String()),
});

export const MpmOption = Type.Object({ provider: ProviderName, vendor: Type.Optional(Vendor), label: Type.String() });

export const StoreSummary = Type.Object({ id: Type.String(), name: Type.String(), currency: Type.String(), locale: Type.String() });

export const TerminalInfo = Type.Object({
  terminalId: Type.String(),
  /** The name this terminal was given (pairing or Settings → Terminals); older cached copies lack it. */
  terminalName: Type.Optional(Type.String()),
  store: Type.Object({
    id: Type.String(),
    name: Type.String(),
    currency: Type.String(),
    locale: Type.String(),
    /** The store's default kiosk language (en, zh-CN, ar); absent: the browser's. */
    language: Type.Optional(Type.String()),
    catalogue: Type.Array(CatalogueItem),
    acceptedVendors: Type.Array(Type.Object({ vendor: Vendor, provider: ProviderName, label: Type.String() })),
    mpmOptions: Type.Array(MpmOption),
    maxAmount: Money,
    receiptFooter: Type.Optional(Type.String()),
    timezone: Type.Optional(Type.String()),
    address: Type.Optional(Type.String()),
    taxId: Type.Optional(Type.String()),
  }),
  demo: Type.Boolean(),
  availableStores: Type.Optional(Type.Array(StoreSummary)),
  /** Self-checkout mode (issue 12); absent in settings cached by an older proxy. */
  selfCheckout: Type.Optional(SelfCheckoutInfo),
});

const storeChoice = refusedAs('invalid_store', 'Send {"storeId": "<store id>"}.');

export const SwitchStoreRequest = Type.Object(
  {
    storeId: Type.String({ minLength: 1, maxLength: 64, ...storeChoice }),
  },
  { ...strict, ...storeChoice },
);

// ── payments ──────────────────────────────────────────────────────────────────────────────────────────────

export const CreatePaymentRequest = Type.Object(
  {
    orderId: Type.String({
      maxLength: 128,
      pattern: PRINTABLE,
      ...refusedAs('invalid_order_id', 'orderId must be 1-128 printable ASCII characters.'),
    }),
    amount: Money,
    mode: Type.Enum(PAYMENT_MODES, refusedAs('invalid_mode', 'mode must be "cpm" (scan the customer\'s code) or "mpm" (show a QR).')),
    code: Type.Optional(Type.String({ maxLength: 512, ...refusedAs('code_required', "Scan or type the customer's wallet payment code.") })),
    provider: Type.Optional(
      Type.Enum(PROVIDER_NAMES, refusedAs('invalid_provider', `provider must be one of ${PROVIDER_NAMES.join(', ')}.`)),
    ),
    vendor: Type.Optional(Type.Enum(VENDORS, refusedAs('invalid_vendor', `vendor must be one of ${VENDORS.join(', ')}.`))),
  },
  { ...strict, ...refusedAs('invalid_request', 'The body must be a JSON object {orderId, amount, mode, code?, provider?, vendor?}.') },
);

export const PaymentView = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  status: PaymentStatus,
  mode: PaymentMode,
  provider: ProviderName,
  vendor: Nullable(Vendor),
  amount: Money,
  refundedAmount: Money,
  providerRef: Nullable(Type.String()),
  qr: Type.Optional(Type.Object({ payload: Type.String(), expiresAt: Type.String(), shortCode: Type.Optional(Type.String()) })),
  failure: Type.Optional(Failure),
  needsAttention: Type.Boolean(),
  late: Type.Optional(Type.Boolean()),
  /** Once it has succeeded: its receipt number (YYYYMMDD-NNNN) and the e-receipt page's path (/r/<token>). */
  receipt: Type.Optional(Type.Object({ number: Type.String(), path: Type.String() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

// GET /api/payments (the history search): ListPaymentsQuery and PaymentList are in history-schemas.ts.

export const PaymentEvent = Type.Object({ eventId: Type.Integer(), payment: PaymentView });

export const EventStreamHeaders = Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) });

/** Bodiless POSTs (cancel, recheck): nothing, or `{}`. */
export const NoBody = Type.Union([Type.Null(), Type.Object({}, strict)], refusedAs('invalid_request', 'This request takes no body.'));

// ── staff actions and refunds ─────────────────────────────────────────────────────────────────────────────

/** Void and acknowledge: no body, or just the PIN. */
export const PinOnlyBody = Type.Union(
  [Type.Null(), Type.Object({ pin: Pin }, strict)],
  refusedAs('invalid_request', 'Send no body, or {"pin": "<supervisor PIN>"}.'),
);

export const CreateRefundRequest = Type.Object(
  { amount: Money, pin: Pin },
  { ...strict, ...refusedAs('invalid_request', 'The body must be a JSON object {amount, pin?}.') },
);

export const RefundStatus = Type.Enum(['created', 'pending', 'unknown', 'succeeded', 'failed']);

export const RefundView = Type.Object({
  id: Type.String(),
  paymentId: Type.String(),
  amount: Money,
  status: RefundStatus,
  providerRef: Nullable(Type.String()),
  failure: Type.Optional(Failure),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const RefundResponse = Type.Object({ refund: RefundView, payment: PaymentView });
export const RefundList = Type.Object({ refunds: Type.Array(RefundView) });

export const StaffAction = Type.Enum(['recheck', 'cancel', 'void', 'refund', 'acknowledge']);
export const StaffActionRoute = Type.Object({ method: Type.Literal('POST'), path: Type.String(), supervisorPin: Type.Boolean() });

export const AttentionItem = Type.Object({
  payment: PaymentView,
  reason: Type.String(),
  message: Type.String(),
  since: Nullable(Type.String()),
  providerRef: Nullable(Type.String()),
  nextCheckAt: Nullable(Type.String()),
  actions: Type.Array(StaffAction),
  routes: Type.Partial(Type.Record(StaffAction, StaffActionRoute)),
  refunds: Type.Array(RefundView),
});

/** A difference reconciliation found between our books and a provider's record (issue 11). */
export const ReconciliationDifference = Type.Object({
  provider: Type.String(),
  kind: Type.Enum(['missing_here', 'missing_at_provider', 'amount', 'status', 'refunded']),
  providerRef: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  paymentId: Nullable(Type.String()),
  terminalId: Nullable(Type.String()),
  currency: Nullable(Type.String()),
  oursValue: Nullable(Type.Integer()),
  theirsValue: Nullable(Type.Integer()),
  oursStatus: Nullable(Type.String()),
  theirsStatus: Nullable(Type.String()),
  message: Type.String(),
});
export const StoredDifference = Type.Object({
  ...ReconciliationDifference.properties,
  id: Type.String(),
  businessDate: Type.String(),
  firstSeenAt: Type.String(),
  lastSeenAt: Type.String(),
});

/** `differences`: the store's unresolved reconciliation differences (they may have no payment of ours). */
export const AttentionList = Type.Object({
  items: Type.Array(AttentionItem),
  differences: Type.Array(StoredDifference),
  /** Customers' open "Call staff" requests at the store's self-checkout terminals. */
  staffCalls: Type.Optional(Type.Array(StaffCallView)),
});

// ── orders ────────────────────────────────────────────────────────────────────────────────────────────────

const badLine = (message: string) => refusedAs('invalid_line', message);

export const OrderLine = Type.Object(
  {
    sku: Type.Optional(
      Nullable(
        Type.String({ minLength: 1, maxLength: ORDER_LIMITS.maxSkuLength }),
        badLine(`{field} must be 1-${ORDER_LIMITS.maxSkuLength} characters or absent.`),
      ),
    ),
    name: Type.String({
      maxLength: ORDER_LIMITS.maxNameLength,
      pattern: '\\S',
      ...badLine(`{field} must be 1-${ORDER_LIMITS.maxNameLength} characters.`),
    }),
    quantity: Type.Integer({
      minimum: 1,
      maximum: ORDER_LIMITS.maxQuantity,
      ...badLine(`{field} must be a whole number from 1 to ${ORDER_LIMITS.maxQuantity}.`),
    }),
    unitPrice: Money,
  },
  { ...strict, ...badLine('{field} must be an object {sku?, name, quantity, unitPrice}.') },
);

export const OrderStatus = Type.Enum(ORDER_STATUSES, refusedAs('invalid_status', `status must be one of ${ORDER_STATUSES.join(', ')}.`));

export const OrderUpsertRequest = Type.Object(
  {
    id: Type.String({
      maxLength: 128,
      pattern: ORDER_ID_PATTERN.source,
      ...refusedAs('invalid_order_id', 'id must be the client order id: 8-128 letters, digits, "-" or "_" (a UUID).'),
    }),
    lines: Type.Array(OrderLine, {
      minItems: 1,
      maxItems: ORDER_LIMITS.maxLines,
      ...refusedAs('invalid_lines', `lines must be a list of 1-${ORDER_LIMITS.maxLines} lines.`),
    }),
    total: Money,
    createdAt: Type.String({
      maxLength: 32,
      pattern: ISO_UTC,
      ...refusedAs('invalid_created_at', 'createdAt must be an ISO 8601 UTC timestamp such as 2025-01-31T09:30:00.000Z.'),
    }),
    status: OrderStatus,
  },
  { ...strict, ...refusedAs('invalid_request', 'The body must be a JSON object {id, lines, total, createdAt, status}.') },
);

export const OrderView = Type.Object({ ...OrderUpsertRequest.properties, updatedAt: Type.String(), receivedAt: Type.String() });
export const OrderList = Type.Object({ orders: Type.Array(OrderView) });

const STATUS_LIST = `(?:${ORDER_STATUSES.join('|')})`;

export const ListOrdersQuery = Type.Object({
  status: Type.Optional(
    Type.String({
      maxLength: 200,
      pattern: `^${STATUS_LIST}(?:,${STATUS_LIST})*$`,
      ...refusedAs('invalid_status', `status must be a comma-separated list of ${ORDER_STATUSES.join(', ')}.`),
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, ...refusedAs('invalid_limit', 'limit must be 1-500.') })),
});

// ── day report and close (issue 11) ───────────────────────────────────────────────────────────────────────

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
export const ReportScope = Type.Enum(['terminal', 'store']);

export const DayReportQuery = Type.Object(
  {
    date: Type.Optional(Type.String({ maxLength: 10, pattern: DATE, ...refusedAs('invalid_date', '{field} must be a date YYYY-MM-DD.') })),
    scope: Type.Optional(Type.Enum(['terminal', 'store'], refusedAs('invalid_scope', '{field} must be "terminal" or "store".'))),
    reconcile: Type.Optional(Type.Enum(['true', 'false'], refusedAs('invalid_reconcile', '{field} must be "true" or "false".'))),
  },
  strict,
);

const Line = Type.Object({ gross: Money, refunds: Money, net: Money, salesCount: Type.Integer(), refundsCount: Type.Integer() });
export const CurrencyTotals = Type.Object({
  ...Line.properties,
  byProvider: Type.Record(Type.String(), Line),
  byWallet: Type.Record(Type.String(), Line),
});
export const OpenPayment = Type.Object({
  id: Type.String(),
  terminalId: Type.String(),
  status: Type.String(),
  provider: Type.String(),
  vendor: Nullable(Type.String()),
  amount: Type.Integer(),
  currency: Type.String(),
  providerRef: Nullable(Type.String()),
  createdAt: Type.String(),
});
export const StaffTotals = Type.Object({
  staffId: Nullable(Type.String()),
  name: Nullable(Type.String()),
  refunds: Money,
  refundsCount: Type.Integer(),
});
export const ProviderReconciliation = Type.Object({
  provider: Type.String(),
  method: Type.Enum(['list', 'query']),
  status: Type.Enum(['matched', 'differences', 'unavailable']),
  checkedAt: Type.String(),
  matched: Type.Integer(),
  differences: Type.Array(ReconciliationDifference),
  error: Type.Optional(Type.String()),
});
export const ZInfo = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  closedAt: Type.String(),
  closedBy: Type.Object({ staffId: Nullable(Type.String()), name: Nullable(Type.String()), terminalId: Type.String() }),
});

export const DayReport = Type.Object({
  kind: Type.Enum(['X', 'Z']),
  date: Type.String(),
  timezone: Type.String(),
  scope: ReportScope,
  storeId: Type.String(),
  terminalId: Nullable(Type.String()),
  window: Type.Object({ from: Type.String(), to: Type.String() }),
  generatedAt: Type.String(),
  closed: Nullable(ZInfo),
  currencies: Type.Record(Type.String(), CurrencyTotals),
  open: Type.Object({ count: Type.Integer(), payments: Type.Array(OpenPayment) }),
  staff: Type.Array(StaffTotals),
  /** Per provider the store uses; empty when asked with reconcile=false. */
  reconciliation: Type.Record(Type.String(), ProviderReconciliation),
});

export const DayCloseRequest = Type.Object(
  {
    date: Type.Optional(Type.String({ maxLength: 10, pattern: DATE, ...refusedAs('invalid_date', '{field} must be a date YYYY-MM-DD.') })),
    scope: Type.Optional(Type.Enum(['terminal', 'store'], refusedAs('invalid_scope', '{field} must be "terminal" or "store".'))),
    pin: Type.Optional(Type.String({ maxLength: 32 })),
  },
  strict,
);
export const DayCloseResponse = Type.Object({ created: Type.Boolean(), report: DayReport });
