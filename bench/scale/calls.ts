// Provider requests per payment, from the forwarders' records: how many requests named each payment (its
// reference or the provider's id, in the path or the body), and how many of them were duplicates — a request
// about the same payment from a different instance than the one before it, less than DUPLICATE_WITHIN_MS
// after it. With one worker per payment that happens only when work changes hands (an instance died, a
// notification or a cashier's cancel landed on another instance); without it, every instance polls.
import type { Sent } from '../lib/forwarder.ts';
import type { BookRow } from './database.ts';

export const DUPLICATE_WITHIN_MS = 250;

export interface CallStats {
  payments: number;
  requests: number;
  perPayment: number;
  /** Payments with at least one duplicate request, and duplicate requests in all. */
  paymentsWithDuplicates: number;
  duplicates: number;
  maxPerPayment: number;
}

export function callStats(books: BookRow[], sent: (Sent & { slot: string })[]): CallStats {
  const ids = new Map<string, string>();
  for (const p of books) {
    ids.set(p.reference, p.id);
    if (p.providerRef) ids.set(p.providerRef, p.id);
  }
  // Longest first, so a reference that contains another one's text is matched as itself.
  const keys = [...ids.keys()].sort((a, b) => b.length - a.length);
  const byPayment = new Map<string, (Sent & { slot: string })[]>();
  for (const s of sent) {
    const k = keys.find((key) => s.path.includes(key) || s.body.includes(key));
    if (!k) continue;
    const id = ids.get(k)!;
    byPayment.set(id, [...(byPayment.get(id) ?? []), s]);
  }
  let requests = 0;
  let duplicates = 0;
  let withDuplicates = 0;
  let max = 0;
  for (const list of byPayment.values()) {
    list.sort((a, b) => a.at - b.at);
    requests += list.length;
    max = Math.max(max, list.length);
    let d = 0;
    for (let i = 1; i < list.length; i++) if (list[i].slot !== list[i - 1].slot && list[i].at - list[i - 1].at < DUPLICATE_WITHIN_MS) d++;
    duplicates += d;
    if (d > 0) withDuplicates++;
  }
  return {
    payments: books.length,
    requests,
    perPayment: books.length ? requests / books.length : 0,
    paymentsWithDuplicates: withDuplicates,
    duplicates,
    maxPerPayment: max,
  };
}
