// Reading Centrapay payment requests into verdicts, and finding them by our externalRef (spec §5.4, §12).
// Shared by every adapter operation; no money moves here except voiding duplicate `new` requests, which
// is the spec's own recovery recipe for a create that was sent twice.
import type { Money } from '../../../src/shared/money.ts';
import { ProviderError, type ProviderVerdict } from '../types.ts';
import { centrapayCall, centrapayGet, type CentrapayAnswer, type CentrapayCallOptions } from './http.ts';
import { declineFor, fromCentrapayMonetary, isCentrapayStatus, mapStatus } from './mapping.ts';

export type PaymentRequest = Record<string, unknown>;

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A 400/403 business refusal as "no verdict". Centrapay refused before acting, so nothing happened. */
export function refusal(op: string, a: Extract<CentrapayAnswer, { ok: false }>, providerRef?: string): ProviderError {
  const code = a.code || `http_${a.status}`;
  return new ProviderError(`centrapay_${code}`, `Centrapay ${op}: ${code}${a.reason ? ` (${a.reason})` : ''}`, {
    outcomeUnknown: false,
    providerRef,
    raw: a.body,
  });
}

/** The request as a verdict, without looking at refunds. Throws if Centrapay answered an unknown status. */
export function baseVerdict(pr: PaymentRequest, raw: unknown = pr): ProviderVerdict {
  const providerRef = str(pr.id);
  if (!isCentrapayStatus(pr.status)) {
    throw new ProviderError('centrapay_bad_status', `Centrapay returned an unknown status ${JSON.stringify(pr.status)}`, {
      outcomeUnknown: true,
      providerRef,
      raw,
    });
  }
  const reason = str(pr.cancellationReason);
  const status = mapStatus(pr.status, reason);
  const verdict: ProviderVerdict = { status, providerRef, raw };
  const amount = requestAmount(pr);
  if (amount) verdict.amount = amount;
  if (status === 'failed') verdict.failure = declineFor(reason);
  // An unpaid merchant-presented request: the QR is its pay URL, valid until expiresAt.
  const url = str(pr.url);
  const expiresAt = str(pr.expiresAt);
  if (status === 'pending' && url && expiresAt && !pr.barcode && !pr.patronCodeId) {
    const shortCode = str(pr.shortCode);
    verdict.qr = { payload: url, expiresAt, ...(shortCode ? { shortCode } : {}) };
  }
  return verdict;
}

/** The request's `value` as Centrapay reports it; undefined when absent or unreadable. */
function requestAmount(pr: PaymentRequest): Money | undefined {
  try {
    return fromCentrapayMonetary(pr.value);
  } catch {
    return undefined;
  }
}

/** Throws (outcome unknown) when Centrapay's request is for another amount than the one we asked for. */
export function assertAmount(pr: PaymentRequest, expected: Money): void {
  const got = requestAmount(pr);
  if (!got || got.value !== expected.value || got.currency !== expected.currency) {
    throw new ProviderError(
      'centrapay_amount_mismatch',
      `Centrapay request ${String(pr.id)} is for ${JSON.stringify(pr.value)}, expected ${expected.value} ${expected.currency}`,
      {
        outcomeUnknown: true,
        providerRef: str(pr.id),
        raw: pr,
      },
    );
  }
}

export function createRequestReader(opts: CentrapayCallOptions & { merchantAccountId?: string }) {
  /** Paid requests: were they reversed since? Void of a paid request refunds it while the status stays
   *  `paid` (§5.6, §7), so the refund activities are the only place that says so. */
  async function withReversal(pr: PaymentRequest): Promise<ProviderVerdict> {
    const verdict = baseVerdict(pr);
    if (verdict.status !== 'succeeded' || !verdict.providerRef) return verdict;
    const a = await centrapayGet(`/api/payment-requests/${encodeURIComponent(verdict.providerRef)}/activities`, opts);
    if (!a.ok) throw refusal('activities', a, verdict.providerRef);
    const items = Array.isArray(a.body.items) ? (a.body.items as PaymentRequest[]) : [];
    let paid: number;
    let refunded: number;
    try {
      paid = fromCentrapayMonetary(pr.value).value;
      refunded = items.filter((x) => x?.type === 'refund').reduce((s, x) => s + fromCentrapayMonetary(x.value).value, 0);
    } catch (err) {
      // Paid, but the amounts are unreadable: we cannot say whether it was reversed, so no verdict.
      throw new ProviderError('centrapay_bad_response', `Centrapay amounts unreadable: ${(err as Error).message}`, {
        outcomeUnknown: true,
        providerRef: verdict.providerRef,
        raw: { request: pr, activities: items },
        cause: err,
      });
    }
    const raw = { request: pr, activities: items };
    return refunded >= paid ? { ...verdict, status: 'reversed', raw } : { ...verdict, raw };
  }

  async function byId(id: string): Promise<PaymentRequest | null> {
    const a = await centrapayGet(`/api/payment-requests/${encodeURIComponent(id)}`, opts);
    if (a.ok) return a.body;
    // 403 "Forbidden" without a business code is how Centrapay says "no such request (for you)" (§8).
    if (a.status === 403 && (a.code === 'Forbidden' || a.code === '')) return null;
    throw refusal('get', a, id);
  }

  async function listByExternalRef(externalRef: string): Promise<PaymentRequest[]> {
    const items: PaymentRequest[] = [];
    let pageKey: string | undefined;
    for (let page = 0; page < 10; page++) {
      const q = new URLSearchParams();
      if (opts.merchantAccountId) q.set('merchantAccountId', opts.merchantAccountId);
      if (pageKey) q.set('pageKey', pageKey);
      const qs = q.toString();
      const a = await centrapayGet(`/api/payment-requests/external-ref/${encodeURIComponent(externalRef)}${qs ? `?${qs}` : ''}`, opts);
      if (!a.ok) throw refusal('external-ref lookup', a);
      if (Array.isArray(a.body.items)) items.push(...(a.body.items as PaymentRequest[]).filter((x) => x && typeof x === 'object'));
      pageKey = str(a.body.pageKey) ?? str(a.body.nextPageKey);
      if (!pageKey) break;
    }
    return items;
  }

  /** The request our externalRef names, or null when Centrapay has none. With several (a create that was
   *  sent twice), a paid one wins, else the newest `new` one; the other `new` ones are voided so the patron
   *  cannot pay twice (§9, §12). Voiding them is best effort: a failure leaves them to expire. */
  async function byExternalRef(externalRef: string): Promise<PaymentRequest | null> {
    const items = await listByExternalRef(externalRef);
    if (items.length === 0) return null;
    const newest = (xs: PaymentRequest[]) => [...xs].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)))[0];
    const chosen = newest(items.filter((x) => x.status === 'paid')) ?? newest(items.filter((x) => x.status === 'new')) ?? newest(items);
    for (const extra of items) {
      const id = str(extra.id);
      if (extra === chosen || extra.status !== 'new' || !id) continue;
      await centrapayCall('POST', `/api/payment-requests/${encodeURIComponent(id)}/void`, undefined, opts).catch(() => undefined);
    }
    return chosen;
  }

  return { withReversal, byId, byExternalRef };
}
