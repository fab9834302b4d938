// Pockyt's own record of a day for reconciliation: `POST /app-data-search/v3/trans-list` (named in the
// official SDKs: startDate/endDate as yyyyMMdd, answer `transactions` + `size`). Pockyt's calendar is UTC+8
// (spec §5), so a business day in another zone can span two Pockyt dates: both are asked for and the
// transactions are cut to the window by their createTime.
import type { HttpObserver } from '../http.ts';
import { ProviderError, type ProviderTransaction, type TransactionListQuery } from '../types.ts';
import { pockytPost } from './http.ts';
import { fromPockytAmount, isPockytStatus, STATUS_MAP, SUCCESS_CODE } from './mapping.ts';

export const TRANS_LIST_PATH = '/app-data-search/v3/trans-list';

const UTC8_MS = 8 * 3600_000;

export interface PockytListConfig {
  baseUrl: string;
  merchantNo: string;
  storeNo: string;
  token: string;
  timeoutMs: number;
  observer?: HttpObserver;
}

function utc8Date(ms: number): string {
  return new Date(ms + UTC8_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** "2026-12-04 18:30:00" (UTC+8) → epoch ms; NaN when unreadable. */
function fromUtc8(text: unknown): number {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return NaN;
  return Date.parse(`${text.replace(' ', 'T')}Z`) - UTC8_MS;
}

function money(text: unknown, currency: string) {
  return fromPockytAmount(typeof text === 'string' && text !== '' ? text : '0', currency);
}

export async function listPockytTransactions(cfg: PockytListConfig, q: TransactionListQuery): Promise<ProviderTransaction[]> {
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  const env = await pockytPost(
    TRANS_LIST_PATH,
    { merchantNo: cfg.merchantNo, storeNo: cfg.storeNo, startDate: utc8Date(from), endDate: utc8Date(to - 1) },
    { baseUrl: cfg.baseUrl, token: cfg.token, timeoutMs: cfg.timeoutMs, observer: cfg.observer },
  );
  if (env.ret_code !== SUCCESS_CODE) {
    throw new ProviderError(`pockyt_${env.ret_code}`, `Pockyt trans-list: ${env.ret_code} ${env.ret_msg}`, {
      outcomeUnknown: false,
      raw: env,
    });
  }
  const items = env.result?.transactions;
  if (!Array.isArray(items)) {
    throw new ProviderError('pockyt_bad_response', 'Pockyt trans-list answered without a transactions list', { outcomeUnknown: false });
  }
  const out: ProviderTransaction[] = [];
  for (const raw of items as Record<string, unknown>[]) {
    const created = fromUtc8(raw?.createTime);
    if (!(created >= from && created < to)) continue;
    const status = raw.status ?? raw.transactionStatus;
    if (typeof raw.transactionNo !== 'string' || !isPockytStatus(status)) {
      throw new ProviderError('pockyt_bad_response', `Pockyt trans-list item unreadable: ${JSON.stringify(raw).slice(0, 200)}`, {
        outcomeUnknown: false,
      });
    }
    const currency = typeof raw.currency === 'string' ? raw.currency : 'USD';
    out.push({
      providerRef: raw.transactionNo,
      ...(typeof raw.reference === 'string' && raw.reference !== '' ? { reference: raw.reference } : {}),
      amount: money(raw.amount, currency),
      status: STATUS_MAP[status].status,
      refunded: money(raw.refundAmount, currency),
      createdAt: new Date(created).toISOString(),
    });
  }
  return out;
}
