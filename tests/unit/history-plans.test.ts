// Every history query walks an index (issue 11: fast on 100,000 payments): SQLite's plan for each reading of
// `q` in store scope (the widest) looks the reading up in an index and never scans the payments table, nor a
// store's whole range of an index.
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { historyQuery, type HistoryFilter, type SearchLeg } from '../../server/store/history.ts';

let store: Store;
beforeAll(async () => {
  store = await openMigratedStore('sqlite::memory:');
});
afterAll(async () => store?.close());

async function plan(f: HistoryFilter, leg?: SearchLeg): Promise<string[]> {
  const c = historyQuery(store.db, f, leg).compile();
  const r = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${c.sql}`, [...c.parameters]));
  return r.rows.map((row) => row.detail);
}

const LEGS: SearchLeg[] = [
  { kind: 'amount', value: 1250 },
  { kind: 'code', suffix: '0042' },
  { kind: 'receipt', number: '20261204-0042' },
  { kind: 'providerRef', ref: '29ab34cd56ef7890aa' },
  { kind: 'providerRefEnd', tail: '34cd56ef7890aa' },
];

describe('history query plans (SQLite)', () => {
  for (const leg of LEGS) {
    it(`q read as ${leg.kind}: an index lookup, no scan`, async () => {
      const details = await plan({ storeId: 'demo-us', limit: 26 }, leg);
      // The reading's own column is one of the index's equalities, not only the store (a store-wide range).
      expect(details.some((d) => /^SEARCH payments USING (COVERING )?INDEX \S+ \(store_id=\? AND [^)]+=\?/.test(d))).toBe(true);
      expect(details.filter((d) => /^SCAN /.test(d))).toEqual([]);
    });
  }
});
