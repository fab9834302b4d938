// QRPAY "test cards" (simulator convention, not PayBy's; README documents them): decided by the prefix of an
// authCode the wallet page did not issue. All of them are PayBy-shaped for the kiosk's classifier
// (12–32 upper-case letters/digits, at least one letter), e.g. OK0000000001.
export type Scenario = 'success' | 'password' | 'reject' | 'slow' | 'manual';

export const TEST_PREFIXES: readonly { prefix: string; scenario: Scenario; label: string }[] = [
  { prefix: 'OK', scenario: 'success', label: 'PAID_SUCCESS in the placeOrder answer' },
  { prefix: 'PWD', scenario: 'password', label: 'CREATED (payer enters a password), PAID_SUCCESS after pendingMs (3 s)' },
  { prefix: 'REJ', scenario: 'reject', label: 'FAILURE with failCode 92000 (risk rejection)' },
  { prefix: 'SLOW', scenario: 'slow', label: 'PAID_SUCCESS committed at once, answered after slowMs (30 s): the client times out' },
];

/** Wallet-issued codes and every other well-formed code wait for approve/decline on the control routes. */
export function scenarioFor(code: string): Scenario {
  return TEST_PREFIXES.find((t) => code.startsWith(t.prefix))?.scenario ?? 'manual';
}

/** What the simulator accepts as an authCode at all (anything else is declined as AUTHCODE_INVALID). */
export const AUTH_CODE_SHAPE = /^[0-9A-Z]{12,32}$/;
