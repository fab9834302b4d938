// Seeds the history bench's database straight through SQLite (better-sqlite3, one transaction per 10,000
// rows): payments over 30 business days across the store's tills, with the columns migration 0010 adds,
// plus a second store's sales that no query may return. Statuses, wallets, amounts and codes vary the way
// a café's do: mostly succeeded, some failed or cancelled, a few refunded.
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';

export interface SeedPlan {
  dbFile: string;
  storeId: string;
  terminals: string[];
  otherStoreId: string;
  otherTerminal: string;
  total: number;
  days: number;
}

export interface Seeded {
  /** Known values the queries search for. */
  amounts: number[];
  codeSuffixes: string[];
  providerRefs: string[];
  receiptNos: string[];
  lastDay: string;
}

const STATUSES = [
  ...Array(86).fill('succeeded'),
  ...Array(6).fill('failed'),
  ...Array(4).fill('cancelled'),
  'refunded',
  'partially_refunded',
  'expired',
  'reversed',
];
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];

export function seed(plan: SeedPlan): Seeded {
  const db = new SQLite(plan.dbFile);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(`insert into payments (id, terminal_id, order_id, idempotency_key, request_hash, status, mode, provider, vendor,
    amount_value, currency, refunded_value, reference, provider_ref, code_masked, needs_attention, late, created_at, updated_at,
    store_id, business_day, code_last4, receipt_no, receipt_token)
    values (?, ?, ?, ?, 'bench', ?, 'cpm', 'pockyt', ?, ?, 'USD', 0, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?)`);
  const start = Date.UTC(2026, 10, 1, 13, 0, 0);
  const span = plan.days * 86_400_000;
  const seeded: Seeded = { amounts: [], codeSuffixes: [], providerRefs: [], receiptNos: [], lastDay: '' };
  const counters = new Map<string, number>();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const other = i % 10 === 9;
      const at = new Date(start + Math.floor((i / plan.total) * span));
      const day = at.toISOString().slice(0, 10);
      const status = pick(STATUSES);
      const last4 = String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
      const amount = 100 + Math.floor(Math.random() * 4900);
      const storeId = other ? plan.otherStoreId : plan.storeId;
      const paid = status !== 'failed' && status !== 'cancelled' && status !== 'expired';
      const providerRef = paid ? `29${randomBytes(9).toString('hex')}` : null;
      let receiptNo: string | null = null;
      if (paid) {
        const k = `${storeId}/${day}`;
        const n = (counters.get(k) ?? 0) + 1;
        counters.set(k, n);
        receiptNo = `${day.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
      }
      const id = `pay_bench_${String(i).padStart(7, '0')}_${randomBytes(4).toString('hex')}`;
      insert.run(
        id,
        other ? plan.otherTerminal : plan.terminals[i % plan.terminals.length],
        `order-${id}`,
        id,
        status,
        pick(['alipay', 'wechatpay']),
        amount,
        `ref${id}`,
        providerRef,
        `2865${'*'.repeat(10)}${last4}`,
        at.toISOString(),
        at.toISOString(),
        storeId,
        day,
        last4,
        receiptNo,
        paid ? randomBytes(32).toString('base64url') : null,
      );
      if (!other && i % 997 === 0) {
        seeded.amounts.push(amount);
        seeded.codeSuffixes.push(last4);
        if (providerRef) seeded.providerRefs.push(providerRef);
        if (receiptNo) seeded.receiptNos.push(receiptNo);
      }
      seeded.lastDay = day;
    }
  });
  for (let i = 0; i < plan.total; i += 10_000) batch(i, Math.min(plan.total, i + 10_000));
  db.close();
  return seeded;
}
