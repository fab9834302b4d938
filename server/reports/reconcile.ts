// Reconciliation of a store's business day with each provider it uses: the provider's own record (its
// module's listTransactions) against our payments of the same window — or, for a provider without a list
// API, the adapter's query of each of our payments. Every difference is saved (store/recon-differences.ts)
// and so shows on the Attention list until a later reconciliation finds the two sides agreeing.
import type { Kysely } from 'kysely';
import type { ProviderName } from '../../src/shared/payment.ts';
import type { AdapterRegistry } from '../payments/adapters.ts';
import { ProviderError, type ProviderTransaction } from '../providers/types.ts';
import { knownAnywhere, storeProviderPayments, type OurPayment, type Window } from '../store/day-totals.ts';
import { saveDifferences, type Difference } from '../store/recon-differences.ts';
import type { Database } from '../store/schema.ts';
import type { StoreConfig } from '../store/store-config.ts';
import type { Providers } from '../wiring/providers.ts';
import { capturedHere, capturedThere, comparePair, missingAtProvider, missingHere, OPEN_HERE } from './compare.ts';

export interface ProviderReconciliation {
  provider: string;
  /** 'list': the provider's transaction list; 'query': one query per payment of ours (no list API). */
  method: 'list' | 'query';
  status: 'matched' | 'differences' | 'unavailable';
  checkedAt: string;
  matched: number;
  differences: Difference[];
  error?: string;
}

export interface ReconcileDeps {
  db: Kysely<Database>;
  providers: Providers;
  adapters: AdapterRegistry;
}

/** The providers a store's sales can reach: its wallet routing and its merchant-QR options. */
export function storeProviders(store: StoreConfig): string[] {
  return [...new Set([...Object.values(store.routing), ...store.mpm.map((m) => m.provider)])].sort();
}

async function byList(deps: ReconcileDeps, storeId: string, provider: string, theirs: ProviderTransaction[], w: Window) {
  const ours = await storeProviderPayments(deps.db, storeId, provider, w);
  const byRef = new Map(ours.filter((p) => p.providerRef).map((p) => [p.providerRef!, p]));
  const byReference = new Map(ours.map((p) => [p.reference, p]));
  const seen = new Set<string>();
  const differences: Difference[] = [];
  let matched = 0;
  for (const t of theirs) {
    const p = byRef.get(t.providerRef) ?? (t.reference ? byReference.get(t.reference) : undefined);
    if (p) {
      seen.add(p.id);
      const d = comparePair(provider, p, t);
      if (d.length === 0) matched++;
      differences.push(...d);
    } else if (capturedThere(t.status) && !(await knownAnywhere(deps.db, provider, t.providerRef, t.reference))) {
      differences.push(missingHere(provider, t));
    }
  }
  for (const p of ours) if (!seen.has(p.id) && capturedHere(p.status)) differences.push(missingAtProvider(provider, p));
  return { matched, differences };
}

async function byQuery(deps: ReconcileDeps, storeId: string, provider: string, w: Window) {
  const adapter = deps.adapters.get(provider as ProviderName);
  if (!adapter) throw new ProviderError('not_configured', `${provider} is not configured`, { outcomeUnknown: false });
  const ours = (await storeProviderPayments(deps.db, storeId, provider, w)).filter((p) => !OPEN_HERE.has(p.status));
  const differences: Difference[] = [];
  let matched = 0;
  const check = async (p: OurPayment) => {
    const v = await adapter.query({ reference: p.reference, ...(p.providerRef ? { providerRef: p.providerRef } : {}) });
    if (!v) {
      if (capturedHere(p.status)) differences.push(missingAtProvider(provider, p));
      else matched++;
      return;
    }
    // A query says nothing of refunds: the amount given back is compared only where a list carries it.
    const t: ProviderTransaction = {
      providerRef: v.providerRef ?? p.providerRef ?? p.reference,
      reference: p.reference,
      amount: v.amount ?? { value: p.amount, currency: p.currency },
      status: v.status,
      refunded: { value: p.status === 'reversed' ? p.amount : p.refunded, currency: p.currency },
    };
    const d = comparePair(provider, p, t);
    if (d.length === 0) matched++;
    differences.push(...d);
  };
  // A few at a time: the provider's rate limit is shared with live payments.
  for (let i = 0; i < ours.length; i += 4) await Promise.all(ours.slice(i, i + 4).map(check));
  return { matched, differences };
}

export async function reconcileStoreDay(
  deps: ReconcileDeps,
  store: StoreConfig,
  date: string,
  w: Window,
): Promise<Record<string, ProviderReconciliation>> {
  const out: Record<string, ProviderReconciliation> = {};
  for (const provider of storeProviders(store)) {
    const active = deps.providers.active(provider);
    const method = active?.module.listTransactions ? 'list' : 'query';
    const checkedAt = new Date().toISOString();
    try {
      let result;
      if (active?.module.listTransactions) {
        const theirs = await active.module.listTransactions(active.context, w);
        result = await byList(deps, store.id, provider, theirs, w);
      } else {
        result = await byQuery(deps, store.id, provider, w);
      }
      await saveDifferences(deps.db, store.id, date, provider, result.differences);
      out[provider] = {
        provider,
        method,
        status: result.differences.length ? 'differences' : 'matched',
        checkedAt,
        matched: result.matched,
        differences: result.differences,
      };
    } catch (err) {
      // The provider's record could not be read: say so; the differences found before stay open.
      out[provider] = {
        provider,
        method,
        status: 'unavailable',
        checkedAt,
        matched: 0,
        differences: [],
        error: err instanceof Error ? err.message : String(err),
      };
    }
  }
  return out;
}
