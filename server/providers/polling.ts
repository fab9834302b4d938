// What a provider says about being asked for a payment's status, as the reconciler's budget needs it. Each
// provider folder exports its own (polling.ts beside the adapter); the values and their sources are there.

export interface PollingGuidance {
  /** The provider's published request limit per account and minute; null where it publishes none. */
  documentedPerMinute: number | null;
  /** Queries and cancels our reconciler may send per account and minute unless POLL_RATE_<NAME> says
   *  otherwise. Below the documented limit with a margin: charges, staff actions and refund follow-ups
   *  share the same account and are not held back by this budget. */
  defaultBudgetPerMinute: number;
  /** How often the provider asks integrators to query a payment while the customer confirms (ms). Where a
   *  kiosk is not watching, the reconciler starts from this and backs off (server/payments/poll-cadence.ts). */
  pendingQueryMs: number;
}
