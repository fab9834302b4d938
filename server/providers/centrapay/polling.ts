// Centrapay's guidance on polling (spec §8, §11): poll a payment request every second; 200 requests per
// minute per account, shared by every kiosk on the key; over it, 429 RATE_LIMIT_EXCEEDED with Retry-After.
import type { PollingGuidance } from '../polling.ts';

export const CENTRAPAY_POLLING: PollingGuidance = {
  documentedPerMinute: 200,
  // 60 % of the limit: the rest is for charges, voids, refunds and their follow-ups on the same key.
  defaultBudgetPerMinute: 120,
  pendingQueryMs: 1_000,
};
