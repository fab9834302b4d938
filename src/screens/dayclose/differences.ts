// What a reconciliation difference means for the people who must act on it. The proxy's own `message` says
// what it found; this says what it means for the money and what the cashier or manager should do about it.
import type { ReconciliationDifference } from '../../shared/api';

export interface DifferenceMeaning {
  title: string;
  meaning: string;
  todo: string;
}

const MEANINGS: Record<ReconciliationDifference['kind'], DifferenceMeaning> = {
  missing_here: {
    title: 'At the provider but not here',
    meaning: 'Money we never recorded: the provider took this payment, but no sale of ours matches it.',
    todo: 'Find the sale (taken on another device, or its answer lost) and record it; until then the takings are short by this amount.',
  },
  missing_at_provider: {
    title: 'Here but not at the provider',
    meaning: 'We recorded this payment as taken, but the provider has no record of it: the money may never arrive.',
    todo: 'Check the sale with the provider before banking the day; the customer may not have paid.',
  },
  amount: {
    title: 'Amount differs',
    meaning: 'The provider took a different amount for this payment than we recorded.',
    todo: 'Compare the receipt with the provider’s record; refund or collect the difference.',
  },
  status: {
    title: 'Status differs',
    meaning: 'We and the provider disagree on whether money was taken for this payment.',
    todo: 'Re-check the payment; if the provider took the money and we did not, the customer paid twice or left without goods.',
  },
  refunded: {
    title: 'Refunds differ',
    meaning: 'The provider gave back a different amount than our records show.',
    todo: 'Compare our refunds and voids with the provider’s; a refund may have failed or been made elsewhere.',
  },
};

export function meaningOf(kind: ReconciliationDifference['kind']): DifferenceMeaning {
  return MEANINGS[kind];
}

/** A provider reference short enough for a line on 80 mm paper (the full one is in the CSV). */
export function shortRef(ref: string | null, keep = 14): string {
  if (!ref) return '—';
  return ref.length <= keep ? ref : `…${ref.slice(-keep)}`;
}
