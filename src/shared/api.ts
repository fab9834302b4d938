// Kiosk ↔ proxy API v1 types (DESIGN §5), derived from the schemas the proxy validates and serializes with
// (api-schemas.ts). Type-only: importing these never puts TypeBox in the kiosk bundle.
import type { Static } from 'typebox';
import type * as S from './api-schemas';
import type * as H from './history-schemas';

export type ApiErrorBody = Static<typeof S.ApiErrorBody>;

export type PairRequest = Static<typeof S.PairRequest>;
export type PairResponse = Static<typeof S.PairResponse>;

export type CatalogueItem = Static<typeof S.CatalogueItem>;

/** A merchant-presented QR the store offers ("Show QR to customer"): which provider makes it and, for
 *  providers that serve several wallets, which wallet it is for. Send provider + vendor back as
 *  `POST /api/payments {mode:'mpm', provider, vendor?}`. */
export type MpmOption = Static<typeof S.MpmOption>;

/** A store a demo terminal can switch to with `PUT /api/terminal/store {storeId}`. */
export type StoreSummary = Static<typeof S.StoreSummary>;

/** GET /api/terminal — what a paired kiosk needs to ring up sales: the store (its catalogue, the wallets it
 *  takes for customer-presented codes with the provider serving each, the merchant QRs it offers from
 *  providers configured on this server, its maximum amount), and in demo mode every store this terminal
 *  may switch to. */
export type TerminalInfo = Static<typeof S.TerminalInfo>;

/** PUT /api/terminal/store (demo mode only; 409 while the terminal has an open payment) → TerminalInfo. */
export type SwitchStoreRequest = Static<typeof S.SwitchStoreRequest>;

/** POST /api/payments + Idempotency-Key. */
export type CreatePaymentRequest = Static<typeof S.CreatePaymentRequest>;

/** A payment as the kiosk sees it. `providerRef` is the provider's transaction number (shown on the
 *  receipt). Merchant-presented: `qr` is the payload to render, the provider's expiry, and the provider's
 *  short code for manual entry where it has one (e.g. `CP-XXX-XXX`). */
export type PaymentView = Static<typeof S.PaymentView>;

/** Body of one SSE `payment.updated` event. */
export type PaymentEvent = Static<typeof S.PaymentEvent>;

/** Refund of (part of) a payment: a child of the payment with its own status. `created`/`pending`/`unknown`
 *  still count against what is left to refund; the payment becomes partially_refunded/refunded from the sum
 *  of `succeeded` ones. */
export type RefundStatus = Static<typeof S.RefundStatus>;

/** `providerRef`: the provider's id for the refund, where it gives one. */
export type RefundView = Static<typeof S.RefundView>;

/** POST /api/payments/:id/refunds + Idempotency-Key + supervisor PIN (header X-Staff-Pin or body `pin`). */
export type CreateRefundRequest = Static<typeof S.CreateRefundRequest>;

/** Answer to a refund request (201 new, 200 replay of the same Idempotency-Key). */
export type RefundResponse = Static<typeof S.RefundResponse>;

/** What staff can do from the "Needs attention" list; each is a POST on /api/payments/:id/<action>.
 *  recheck/cancel need no PIN; void, refund (→ /refunds) and acknowledge need a supervisor PIN. */
export type StaffAction = Static<typeof S.StaffAction>;

export type StaffActionRoute = Static<typeof S.StaffActionRoute>;

/** GET /api/attention → {items: AttentionItem[]}. `routes`: for each action in `actions`, where to send it
 *  and whether a supervisor PIN is needed; `refunds`: this payment's refunds, pending ones included. */
export type AttentionItem = Static<typeof S.AttentionItem>;

/** GET /api/attention → the payments needing a look (`items`) and the store's unresolved reconciliation
 *  differences (`differences`; a difference may have no payment of ours). */
export type AttentionList = Static<typeof S.AttentionList>;
export type ReconciliationDifference = Static<typeof S.ReconciliationDifference>;
export type StoredDifference = Static<typeof S.StoredDifference>;

/** GET /api/reports/day (supervisor PIN): X report, or the Z once the day is closed. */
export type DayReportQuery = Static<typeof S.DayReportQuery>;
export type DayReport = Static<typeof S.DayReport>;
export type ProviderReconciliation = Static<typeof S.ProviderReconciliation>;
/** POST /api/reports/day/close (supervisor PIN) → the Z (201 new, 200 already closed). */
export type DayCloseRequest = Static<typeof S.DayCloseRequest>;
export type DayCloseResponse = Static<typeof S.DayCloseResponse>;

export type ListPaymentsQuery = Static<typeof H.ListPaymentsQuery>;
export type HistoryPayment = Static<typeof H.HistoryPayment>;
export type PaymentList = Static<typeof H.PaymentList>;
export type SaleLine = Static<typeof H.SaleLine>;
export type TimelineEntry = Static<typeof H.TimelineEntry>;
export type PaymentDetail = Static<typeof H.PaymentDetail>;
