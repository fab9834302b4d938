// Sandbox "test cards": codes the simulators answer by script (a simulator convention, not the providers';
// each simulator's README documents them). One pure module shared by the simulators (their scenarios.ts)
// and the demo wallet page (src/wallet/), so the page offers exactly the codes the simulators understand.
// No I/O and nothing from server/: the wallet page bundles it.
import { withLuhnDigit } from '../src/shared/classify.ts';

export type PockytScenario = 'success' | 'pending_success' | 'pending_failed' | 'supplier_error' | 'slow_success' | 'manual';

/** Decided by the last four digits of an Alipay/WeChat-shaped code that the wallet page did not issue. */
export const POCKYT_TEST_SUFFIXES: Record<string, { scenario: PockytScenario; label: string }> = {
  '0001': { scenario: 'success', label: 'Paid at once' },
  '0002': { scenario: 'pending_success', label: 'Waits for the customer, then paid (after pendingMs, 3 s)' },
  '0003': { scenario: 'pending_failed', label: 'Waits for the customer, then declined (after pendingMs, 3 s)' },
  '0004': { scenario: 'supplier_error', label: 'Wallet network error (ret_code 000080); a query then says failed' },
  '0005': { scenario: 'slow_success', label: 'Paid, but the answer comes after slowMs (25 s): outcome unknown, then found by query' },
};

export type CentrapayScenario = 'quick_pay' | 'patron_declines' | 'patron_approves' | 'code_invalid' | 'photo_id' | 'no_options' | 'manual';

/** A patron code is 6-digit prefix + 9 digits + check digit; the scenario is the four digits just before the
 *  check digit, so every test code can carry a valid Luhn digit and still pick its scenario. */
export const CENTRAPAY_TEST_SCENARIOS: Record<string, { scenario: CentrapayScenario; label: string }> = {
  '0001': { scenario: 'quick_pay', label: 'Quick Pay asset: charged when the first poll arrives, no patron approval' },
  '0002': { scenario: 'patron_approves', label: 'Patron approves in the app after pendingMs (paid)' },
  '0003': { scenario: 'patron_declines', label: 'Patron declines in the app after pendingMs (cancelled, DECLINED_BY_PATRON)' },
  '0004': { scenario: 'code_invalid', label: 'Create answers 403 PATRON_CODE_INVALID' },
  '0005': {
    scenario: 'photo_id',
    label:
      'Photo-ID condition (force-condition-check-photo-id): awaiting-merchant with conditionsEnabled, else cancelled at the first poll',
  },
  '0006': { scenario: 'no_options', label: 'Create answers 403 NO_AVAILABLE_PAYMENT_OPTIONS' },
};

/** A Luhn-valid test code for a scenario suffix, e.g. testPatronCode('0001') → '9990001234500017'. */
export function testPatronCode(suffix: string, body = '99900012345'): string {
  if (!/^\d{4}$/.test(suffix) || !/^\d{11}$/.test(body)) throw new Error('testPatronCode: suffix is 4 digits, body 11');
  return withLuhnDigit(body + suffix);
}

export type PayByScenario = 'success' | 'password' | 'reject' | 'slow' | 'manual';

/** QRPAY test codes, decided by the prefix of an authCode the wallet page did not issue. All of them are
 *  PayBy-shaped for the kiosk's classifier (12–32 upper-case letters/digits, at least one letter), e.g. OK0000000001. */
export const PAYBY_TEST_PREFIXES: readonly { prefix: string; scenario: PayByScenario; label: string }[] = [
  { prefix: 'OK', scenario: 'success', label: 'PAID_SUCCESS in the placeOrder answer' },
  { prefix: 'PWD', scenario: 'password', label: 'CREATED (payer enters a password), PAID_SUCCESS after pendingMs (3 s)' },
  { prefix: 'REJ', scenario: 'reject', label: 'FAILURE with failCode 92000 (risk rejection)' },
  { prefix: 'SLOW', scenario: 'slow', label: 'PAID_SUCCESS committed at once, answered after slowMs (30 s): the client times out' },
];
