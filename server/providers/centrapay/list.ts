// Centrapay's own record of a day for reconciliation: `GET /api/payment-activities?merchantId=…&pageKey=…`
// (spec §5.5). The docs name no date filter, so pages are read newest first until they reach activities
// older than the window. A payment request counts as the window's transaction when its `request` activity
// (its creation) falls in the window and a `payment` activity shows it was paid; refunds (also the refund a
// void of a paid request makes) are summed whenever they happened, like our refunded total.
import type { HttpObserver } from '../http.ts';
import { ProviderError, type ProviderTransaction, type TransactionListQuery } from '../types.ts';
import { centrapayGet } from './http.ts';
import { fromCentrapayMonetary } from './mapping.ts';

export const ACTIVITIES_PATH = '/api/payment-activities';

/** A runaway guard: a day's activities of one merchant fit in far fewer pages. */
const MAX_PAGES = 2_000;

export interface CentrapayListConfig {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  merchantId?: string;
  observer?: HttpObserver;
}

interface Activity {
  type: string;
  paymentRequestId: string;
  value: { value: number; currency: string };
  createdAt: number;
}

function readActivity(raw: unknown): Activity {
  const a = (raw ?? {}) as Record<string, unknown>;
  const createdAt = typeof a.createdAt === 'string' ? Date.parse(a.createdAt) : NaN;
  if (typeof a.type !== 'string' || typeof a.paymentRequestId !== 'string' || Number.isNaN(createdAt)) {
    throw new ProviderError('centrapay_bad_response', `Centrapay payment activity unreadable: ${JSON.stringify(raw).slice(0, 200)}`, {
      outcomeUnknown: false,
    });
  }
  return { type: a.type, paymentRequestId: a.paymentRequestId, value: fromCentrapayMonetary(a.value), createdAt };
}

export async function listCentrapayTransactions(cfg: CentrapayListConfig, q: TransactionListQuery): Promise<ProviderTransaction[]> {
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  const opts = { baseUrl: cfg.baseUrl, apiKey: cfg.apiKey, timeoutMs: cfg.timeoutMs, observer: cfg.observer };
  const byRequest = new Map<string, Activity[]>();
  let pageKey: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = new URLSearchParams();
    if (cfg.merchantId) params.set('merchantId', cfg.merchantId);
    if (pageKey) params.set('pageKey', pageKey);
    const answer = await centrapayGet(`${ACTIVITIES_PATH}${params.size ? `?${params.toString()}` : ''}`, opts);
    if (!answer.ok) {
      throw new ProviderError(`centrapay_${answer.code || answer.status}`, `Centrapay payment-activities refused: ${answer.code}`, {
        outcomeUnknown: false,
        raw: answer.body,
      });
    }
    const items = answer.body.items;
    if (!Array.isArray(items))
      throw new ProviderError('centrapay_bad_response', 'payment-activities answered without items', { outcomeUnknown: false });
    let reachedOlder = false;
    for (const raw of items) {
      const a = readActivity(raw);
      if (a.createdAt < from) {
        reachedOlder = true;
        continue;
      }
      const list = byRequest.get(a.paymentRequestId) ?? [];
      list.push(a);
      byRequest.set(a.paymentRequestId, list);
    }
    pageKey = typeof answer.body.pageKey === 'string' && answer.body.pageKey !== '' ? answer.body.pageKey : undefined;
    if (reachedOlder || !pageKey) break;
  }

  const out: ProviderTransaction[] = [];
  for (const [id, activities] of byRequest) {
    const created = activities.find((a) => a.type === 'request');
    const payment = activities.find((a) => a.type === 'payment');
    if (!created || !payment || created.createdAt >= to) continue;
    const refunded = activities.filter((a) => a.type === 'refund').reduce((s, a) => s + a.value.value, 0);
    out.push({
      providerRef: id,
      amount: payment.value,
      status: 'succeeded',
      refunded: { value: refunded, currency: payment.value.currency },
      createdAt: new Date(created.createdAt).toISOString(),
    });
  }
  return out;
}
