// Sandbox "test cards" (simulator convention, not Pockyt's; README documents them). Decided by the last
// four digits of an Alipay/WeChat-shaped code that the wallet page did not issue.
export type Scenario = 'success' | 'pending_success' | 'pending_failed' | 'supplier_error' | 'slow_success' | 'manual';

export const TEST_SUFFIXES: Record<string, { scenario: Scenario; label: string }> = {
  '0001': { scenario: 'success', label: 'Paid at once' },
  '0002': { scenario: 'pending_success', label: 'Waits for the customer, then paid (after pendingMs, 3 s)' },
  '0003': { scenario: 'pending_failed', label: 'Waits for the customer, then declined (after pendingMs, 3 s)' },
  '0004': { scenario: 'supplier_error', label: 'Wallet network error (ret_code 000080); a query then says failed' },
  '0005': { scenario: 'slow_success', label: 'Paid, but the answer comes after slowMs (25 s): outcome unknown, then found by query' },
};

/** Wallet-issued codes and every other code wait for approve/decline on the control routes. */
export function scenarioFor(code: string): Scenario {
  return TEST_SUFFIXES[code.slice(-4)]?.scenario ?? 'manual';
}
