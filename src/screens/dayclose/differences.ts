// What a reconciliation difference means for the people who must act on it. The proxy's own `message` says
// what it found; this says what it means for the money and what the cashier or manager should do about it.
import type { ReconciliationDifference } from '../../shared/api';
import { m } from '../../paraglide/messages.js';

export interface DifferenceMeaning {
  title: string;
  meaning: string;
  todo: string;
}

const MEANINGS: Record<ReconciliationDifference['kind'], () => DifferenceMeaning> = {
  missing_here: () => ({ title: m.diff_missing_here_title(), meaning: m.diff_missing_here_meaning(), todo: m.diff_missing_here_todo() }),
  missing_at_provider: () => ({
    title: m.diff_missing_at_provider_title(),
    meaning: m.diff_missing_at_provider_meaning(),
    todo: m.diff_missing_at_provider_todo(),
  }),
  amount: () => ({ title: m.diff_amount_title(), meaning: m.diff_amount_meaning(), todo: m.diff_amount_todo() }),
  status: () => ({ title: m.diff_status_title(), meaning: m.diff_status_meaning(), todo: m.diff_status_todo() }),
  refunded: () => ({ title: m.diff_refunded_title(), meaning: m.diff_refunded_meaning(), todo: m.diff_refunded_todo() }),
};

export function meaningOf(kind: ReconciliationDifference['kind']): DifferenceMeaning {
  return MEANINGS[kind]();
}

/** A provider reference short enough for a line on 80 mm paper (the full one is in the CSV). */
export function shortRef(ref: string | null, keep = 14): string {
  if (!ref) return '—';
  return ref.length <= keep ? ref : `…${ref.slice(-keep)}`;
}
