// Pockyt's guidance on polling (spec §12, §13): no official interval and no published rate limit; the
// recommendation is a tran-query every 2 s while a payment is pending (and after an unknown outcome).
import type { PollingGuidance } from '../polling.ts';

export const POCKYT_POLLING: PollingGuidance = {
  documentedPerMinute: null,
  // Our own ceiling (10 queries/s per merchant account): plenty for a store's tills, and it keeps a backlog
  // of open payments from turning into a flood of queries.
  defaultBudgetPerMinute: 600,
  pendingQueryMs: 2_000,
};
