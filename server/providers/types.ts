// The contracts of a payment provider (DESIGN §3, §6): the adapter every provider implements, and the
// plug-in module (ProviderModule) that bundles it with its config, webhook parsing and acknowledgement.
// Adapters never touch the database: they turn our request into the provider's signed HTTP call and its
// answer into a verdict. Declines are values (status 'failed'); a thrown ProviderError means "no verdict".
import type { IncomingHttpHeaders } from 'node:http';
import type { PollingGuidance } from './polling.ts';
import type { Money } from '../../src/shared/money.ts';
import type { ProviderName, Vendor } from '../../src/shared/payment.ts';
import type { HttpObserver } from './http.ts';

export type ProviderStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled' | 'expired' | 'reversed';

export interface ProviderVerdict {
  status: ProviderStatus;
  /** Provider's own id for the transaction. */
  providerRef?: string;
  /** The payment's amount as the provider reports it, converted to minor units at the edge (absent when
   *  the answer carries none). Checked against ours before a notification may mark anything paid. */
  amount?: Money;
  /** Only for declines: a stable code plus a message fit for the cashier's screen. */
  failure?: { code: string; message: string };
  /** Merchant-presented QR to display, with the provider's expiry and, where the provider has one, the
   *  short code a patron can type instead of scanning. */
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
  /** Cancel if unpaid; some providers' cancel also reverses a captured payment. */
  cancel(ref: ProviderRef): Promise<ProviderVerdict>;
  refund(req: RefundRequest): Promise<{ status: 'succeeded' | 'failed' | 'pending'; providerRef?: string; raw: unknown }>;
}

/** One transaction in a provider's own record (its list API), in our vocabulary: what reconciliation
 *  compares with our books. Amounts converted to minor units at the edge like everywhere else. */
export interface ProviderTransaction {
  /** The provider's id of the payment (what we store as provider_ref). */
  providerRef: string;
  /** Our reference when the provider echoes it. */
  reference?: string;
  amount: Money;
  status: ProviderStatus;
  /** Sum returned to the customer so far (refunds, reversals). */
  refunded: Money;
  createdAt?: string;
}

/** A window of the provider's record: [from, to) as ISO-8601 UTC instants (a business day). */
export interface TransactionListQuery {
  from: string;
  to: string;
}

// ---- The plug-in contract: one module object per provider, listed in registry.ts ----

/** How a provider reads its settings. Demo mode: the sandbox's simulator serves the provider, with the
 *  sandbox's values (credentials it accepts, where it is mounted) wherever the provider's variables are unset. */
export type SettingsContext<Demo> = { demo: false } | { demo: true; sandbox: Demo; selfUrl(path: string): string | null };

/** What the server gives a provider at build time. */
export interface ProviderHost<Demo> {
  /** PUBLIC_URL as providers reach us (with PORT=0, known only after listen). */
  publicUrl: () => string;
  /** Where this provider's notifications go: <PUBLIC_URL>/webhooks/<name>. */
  notifyUrl(): string;
  /** http://<self>:<port><path> of this process once it listens, else null. */
  selfUrl(path: string): string | null;
  /** The sandbox's values in demo mode; undefined in production. */
  sandbox?: Demo;
  /** The app's metrics hook for provider HTTP calls; adapters pass it to sendHttp (providers/http.ts). */
  httpObserver?: HttpObserver;
}

/** A notification whose signature verified, as a hint: the core de-duplicates it and asks the provider. */
export interface VerifiedNotification {
  /** Provider's identity of this event; the de-duplication key. */
  eventId: string;
  rawBody: string;
  /** The provider's transaction id and/or our reference, as the notification names them. */
  providerRef?: string;
  reference?: string;
  /** What the notification claims, mapped to our vocabulary (for the log and the outcome only). */
  claimedStatus?: ProviderStatus;
  claimedAmount?: Money;
}

export type WebhookParse =
  | { ok: true; notification: VerifiedNotification }
  /** 401: not proven to come from the provider; 400: proven but unreadable; 503: cannot check right now. */
  | { ok: false; status: 400 | 401 | 503; reason: string; detail?: string };

/** The exact answer that makes the provider stop retrying a notification. */
export interface WebhookAck {
  status: number;
  contentType: string;
  body: string;
}

/** Everything one provider needs in production. `Settings` come from its variables, `Context` is built once
 *  per app (keys, caches) and shared by its adapter and webhook, `Demo` is what the sandbox supplies. */
export interface ProviderModule<Settings, Context, Demo> {
  readonly name: ProviderName;
  /** The variables that configure it in production: all or none, in the order messages list them. Any of
   *  them set turns demo mode off by default. */
  readonly variables: readonly string[];
  /** null: not configured. Throws ConfigError naming the variable on a bad or partial setting. */
  loadSettings(env: NodeJS.ProcessEnv, ctx: SettingsContext<Demo>): Settings | null;
  createContext(settings: Settings, host: ProviderHost<Demo>): Context;
  /** undefined while it cannot be built yet (demo with PORT=0, before listen). */
  createAdapter(ctx: Context): PaymentAdapter | undefined;
  /** The one media type its notifications come in (anything else is refused with 415). */
  readonly webhookMediaType: string;
  /** Verifies the signature over the exact bytes received before reading anything. */
  parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, ctx: Context): Promise<WebhookParse>;
  readonly webhookAck: WebhookAck;
  /** How often its API may be asked while a payment is open (the reconciler's budget and cadence). */
  readonly polling: PollingGuidance;
  /** Keys that carry a customer's wallet payment code in anything this provider is sent or sends back —
   *  requests, answers, notifications. A code is a bearer credential until used: wherever one of these keys
   *  appears (at any depth, also in JSON or form text), only its masked form is stored or logged. */
  readonly paymentCodeFields: readonly string[];
  /** The provider's own record of a window (day close reconciliation). Absent when the provider has no list
   *  API: reconciliation then asks the adapter's `query` about each of our payments instead. Throws
   *  ProviderError when the record cannot be read (reconciliation reports the provider as unavailable). */
  listTransactions?(ctx: Context, q: TransactionListQuery): Promise<ProviderTransaction[]>;
}
