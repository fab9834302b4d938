// Centrapay adapter: our PaymentAdapter contract over Centrapay's Payment Requests API (spec
// providers/centrapay.md). Declines come back as verdicts; a thrown ProviderError means "no verdict" and
// says whether money may have moved. Create has no idempotency (§9): our reference travels as `externalRef`,
// and a create whose answer was lost is found again by it — never by creating a second request.
import type { Money } from '../../../src/shared/money.ts';
import { ProviderError, type PaymentAdapter, type ProviderRef, type ProviderVerdict } from '../types.ts';
import type { HttpObserver } from '../http.ts';
import { centrapayCall } from './http.ts';
import { CREATE_DECLINES, declineFor, REFUND_DECLINES, toCentrapayMonetary, VOID_ALREADY_CLOSED, type Monetary } from './mapping.ts';
import { assertAmount, baseVerdict, createRequestReader, refusal, str, type PaymentRequest } from './requests.ts';

export interface CentrapayConfig {
  baseUrl: string;
  apiKey: string;
  configId: string;
  /** Per HTTP call. Default 10000. */
  timeoutMs?: number;
  /** How long the patron has before we void (the poller's window). Default 90000; requests are created
   *  with `expirySeconds` 5 s shorter so a last-second payment is never lost (§11). */
  confirmWindowMs?: number;
  /** Not sent: the next API has no per-request notify URL (webhooks are subscribed through Centrapay
   *  support, §10). Kept for the notification intake, whose JWT `aud` must equal this base URL. */
  notifyUrl?: string;
  /** Sent as `terminalId` and `deviceId` ("required for compliant integrations", §5.1). */
  merchantTerminalId?: string;
  /** Sent with the externalRef lookup (§5.4). The simulator defaults it to the API key's account. */
  merchantAccountId?: string;
  /** Told about every HTTP exchange (the app's metrics). */
  observer?: HttpObserver;
}

/** The wire amount, or a "nothing was sent" error: NZD only, 1..99999999 minor units (§3). */
function wireAmount(amount: Money): Monetary {
  if (amount.currency !== 'NZD') {
    throw new ProviderError('unsupported_currency', `Centrapay takes NZD only, not ${amount.currency}`, { outcomeUnknown: false });
  }
  try {
    return toCentrapayMonetary(amount);
  } catch (err) {
    throw new ProviderError('invalid_amount', (err as Error).message, { outcomeUnknown: false, cause: err });
  }
}

function withRef(err: unknown, providerRef: string): unknown {
  if (!(err instanceof ProviderError) || err.providerRef) return err;
  return new ProviderError(err.code, err.message, {
    outcomeUnknown: err.outcomeUnknown,
    providerRef,
    retryAfterMs: err.retryAfterMs,
    raw: err.raw,
    cause: err,
  });
}

export function createCentrapayAdapter(cfg: CentrapayConfig): PaymentAdapter {
  const timeoutMs = cfg.timeoutMs ?? 10_000;
  const confirmWindowMs = cfg.confirmWindowMs ?? 90_000;
  const expirySeconds = Math.max(1, Math.floor(confirmWindowMs / 1000) - 5);
  const http = { baseUrl: cfg.baseUrl, apiKey: cfg.apiKey, timeoutMs, observer: cfg.observer };
  const reader = createRequestReader({ ...http, merchantAccountId: cfg.merchantAccountId });

  /** Create + verdict. Without `barcode` it is a merchant-presented request whose `url` is the QR. */
  async function create(reference: string, amount: Money, barcode?: string): Promise<ProviderVerdict> {
    const body: Record<string, unknown> = {
      configId: cfg.configId,
      value: wireAmount(amount),
      ...(barcode !== undefined ? { barcode } : {}),
      externalRef: reference,
      expirySeconds,
      ...(cfg.merchantTerminalId ? { terminalId: cfg.merchantTerminalId, deviceId: cfg.merchantTerminalId } : {}),
      // conditionsEnabled is left off on purpose: the kiosk cannot yet prompt the operator (photo ID…),
      // and without it a condition cancels the request instead of leaving the sale stuck (§5.1).
    };
    let pr: PaymentRequest;
    try {
      const a = await centrapayCall('POST', '/api/payment-requests', body, http);
      if (!a.ok) {
        if (CREATE_DECLINES.includes(a.code)) return { status: 'failed', failure: declineFor(a.code), raw: a.body };
        throw refusal('create', a);
      }
      pr = a.body;
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.outcomeUnknown) throw err;
      // The request may exist without our knowing its id (§12): look it up by externalRef. Found → carry on
      // with it; not found (or lookup failed) → outcome unknown, and the poller's query by reference decides.
      const found = await reader.byExternalRef(reference).catch(() => null);
      if (!found) throw err;
      pr = found;
    }
    const id = str(pr.id);
    if (!id) throw new ProviderError('centrapay_bad_response', 'Centrapay create returned no id', { outcomeUnknown: true, raw: pr });
    assertAmount(pr, amount);
    try {
      return await reader.withReversal(pr);
    } catch (err) {
      throw withRef(err, id);
    }
  }

  async function query(ref: ProviderRef): Promise<ProviderVerdict | null> {
    const pr = ref.providerRef ? await reader.byId(ref.providerRef) : await reader.byExternalRef(ref.reference);
    if (!pr) return null;
    try {
      return await reader.withReversal(pr);
    } catch (err) {
      throw withRef(err, str(pr.id) ?? '');
    }
  }

  return {
    name: 'centrapay',
    currencies: ['NZD'],
    cpmVendors: ['centrapay'],
    confirmWindowMs,

    chargeCode: (req) => create(req.reference, req.amount, req.code),

    async createQr(req) {
      const verdict = await create(req.reference, req.amount);
      if (verdict.status === 'pending' && !verdict.qr) {
        throw new ProviderError('centrapay_bad_response', 'Centrapay returned no url/expiresAt for the merchant QR', {
          outcomeUnknown: true,
          providerRef: verdict.providerRef,
          raw: verdict.raw,
        });
      }
      return verdict;
    },

    query,

    /** Void (§5.6): cancels an unpaid request, refunds a paid one. Repeating it is harmless (§9). */
    async cancel(ref) {
      let id = ref.providerRef;
      if (!id) {
        const found = await reader.byExternalRef(ref.reference);
        // Centrapay never saw this reference: nothing can be charged under it.
        if (!found) return { status: 'cancelled', raw: { externalRef: ref.reference, found: 0 } };
        id = str(found.id);
        if (!id)
          throw new ProviderError('centrapay_bad_response', 'Centrapay listed a request without an id', {
            outcomeUnknown: true,
            raw: found,
          });
        if (found.status !== 'new' && found.status !== 'paid') return baseVerdict(found);
      }
      const requestId = id;
      const a = await centrapayCall('POST', `/api/payment-requests/${encodeURIComponent(requestId)}/void`, undefined, http).catch(
        (err: unknown) => {
          throw withRef(err, requestId);
        },
      );
      if (a.ok && a.body.type === 'cancellation') return { status: 'cancelled', providerRef: requestId, raw: a.body };
      if (a.ok && a.body.type === 'refund') return { status: 'reversed', providerRef: requestId, raw: a.body };
      if (!a.ok && !VOID_ALREADY_CLOSED.includes(a.code)) throw refusal('void', a, requestId);
      // Closed already (expired, cancelled, refunded) or an activity we do not know: the request says how.
      const after = await query({ reference: ref.reference, providerRef: requestId });
      if (after && after.status !== 'pending') return { ...after, raw: { void: a.body, query: after.raw } };
      throw new ProviderError('centrapay_void_unconfirmed', 'Centrapay answered the void, but the request still looks open; query again', {
        outcomeUnknown: true,
        providerRef: requestId,
        raw: { void: a.body, query: after?.raw },
      });
    },

    /** Refund (§5.8). `refundReference` is Centrapay's refund idempotency key: a repeat returns the first. */
    async refund(req) {
      const value = wireAmount(req.amount);
      const id = req.providerRef ?? str((await reader.byExternalRef(req.reference))?.id);
      if (!id) return { status: 'failed', raw: { externalRef: req.reference, found: 0 } };
      const a = await centrapayCall(
        'POST',
        `/api/payment-requests/${encodeURIComponent(id)}/refund`,
        {
          value,
          externalRef: req.refundReference,
        },
        http,
      ).catch((err: unknown) => {
        throw withRef(err, id);
      });
      if (!a.ok) {
        if (REFUND_DECLINES.includes(a.code)) return { status: 'failed', raw: a.body };
        throw refusal('refund', a, id);
      }
      // The refund activity exists; Centrapay completes it asynchronously and offers no status to poll, so
      // accepted is as final as it gets (refund-completed arrives as a webhook).
      return { status: 'succeeded', providerRef: str(a.body.shortCode), raw: a.body };
    },
  };
}
