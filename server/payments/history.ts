// The history search (issue 11, item 1): GET /api/payments's filters → keyset pages of one store's sales.
// `q` is read every way it can mean something — an amount ("12.50", in major units), the last digits of
// the customer's code ("0042"), a provider reference (whole, or the end printed on a receipt) or a receipt
// number ("20261204-0042") — and each reading is one indexed query; their pages are merged newest first.
import type { Kysely } from 'kysely';
import { dayStart, nextDay } from '../../src/shared/business-day.ts';
import { fromMajorString } from '../../src/shared/money.ts';
import type { ListPaymentsQuery } from '../../src/shared/api.ts';
import { searchPayments, type HistoryFilter, type SearchLeg } from '../store/history.ts';
import type { Payment } from '../store/payments.ts';
import type { Database } from '../store/schema.ts';
import type { StoreConfig } from '../store/store-config.ts';
import { ApiError } from './api-error.ts';

const RECEIPT = /^(\d{8})-(\d{1,6})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Every reading of `q`; none (nothing matches) for text no sale could carry. */
export function searchLegs(q: string, currency: string): SearchLeg[] {
  const text = q.trim().replace(/^…/, '');
  const legs: SearchLeg[] = [];
  const receipt = RECEIPT.exec(text);
  if (receipt)
    return [
      { kind: 'receipt', number: `${receipt[1]}-${receipt[2].padStart(4, '0')}` },
      { kind: 'providerRef', ref: text },
    ];
  if (/^\d+(?:[.,]\d+)?$/.test(text)) {
    try {
      legs.push({ kind: 'amount', value: fromMajorString(text.replace(',', '.'), currency).value });
    } catch {
      // more decimals than the currency has: not an amount
    }
  }
  if (/^\d{1,4}$/.test(text)) legs.push({ kind: 'code', suffix: text });
  if (/^[A-Za-z0-9-]{4,}$/.test(text)) legs.push({ kind: 'providerRef', ref: text });
  // A reference's end as a receipt prints it (10+ characters): looked up by its last 8 (migration 0016).
  if (/^[A-Za-z0-9-]{10,}$/.test(text)) legs.push({ kind: 'providerRefEnd', tail: text });
  return legs;
}

export function encodeCursor(p: Pick<Payment, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { createdAt: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw new ApiError(400, 'invalid_cursor', 'cursor must be the nextCursor of an earlier answer.');
}

/** A date is the store's business day (from: its start; to: its end, inclusive); an instant is exact. */
export function timeBound(value: string, timezone: string, edge: 'from' | 'to'): string {
  if (DAY.test(value)) return dayStart(edge === 'from' ? value : nextDay(value), timezone).toISOString();
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new ApiError(400, `invalid_${edge}`, `${edge} is not a real date or time.`);
  return at.toISOString();
}

const newestFirst = (a: Payment, b: Payment) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1;

export async function searchHistory(
  db: Kysely<Database>,
  store: StoreConfig,
  terminalId: string | undefined,
  query: ListPaymentsQuery,
): Promise<{ payments: Payment[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const split = (v: string | undefined) => (v ? v.split(',') : undefined);
  const filter: HistoryFilter = {
    storeId: store.id,
    ...(terminalId !== undefined ? { terminalId } : {}),
    ...(query.from ? { from: timeBound(query.from, store.timezone, 'from') } : {}),
    ...(query.to ? { to: timeBound(query.to, store.timezone, 'to') } : {}),
    statuses: split(query.status),
    providers: split(query.provider),
    vendors: split(query.vendor),
    ...(query.cursor ? { before: decodeCursor(query.cursor) } : {}),
    // One more than a page tells whether there is a next one.
    limit: limit + 1,
  };
  let rows: Payment[];
  if (query.q === undefined) rows = await searchPayments(db, filter);
  else {
    const legs = searchLegs(query.q, store.currency);
    const pages = await Promise.all(legs.map((leg) => searchPayments(db, filter, leg)));
    const byId = new Map(pages.flat().map((p) => [p.id, p]));
    rows = [...byId.values()].sort(newestFirst).slice(0, limit + 1);
  }
  const page = rows.slice(0, limit);
  return { payments: page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
}
