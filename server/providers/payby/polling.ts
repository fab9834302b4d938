// PayBy's guidance on polling (spec §8, §11): query every 2–6 s after a CREATED or unknown result; it has a
// rate-limit refusal (402 RATE_LIMIT_REJECT) but publishes no number.
import type { PollingGuidance } from '../polling.ts';

export const PAYBY_POLLING: PollingGuidance = {
  documentedPerMinute: null,
  // Our own ceiling (5 queries/s per partner account) until PayBy names one.
  defaultBudgetPerMinute: 300,
  pendingQueryMs: 2_000,
};
