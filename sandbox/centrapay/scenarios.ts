// Sandbox "test cards" (simulator convention, not Centrapay's; README lists them). A patron code is
// 6-digit prefix + 9 digits + check digit; the scenario is the four digits just before the check digit,
// so every test code can carry a valid Luhn digit and still pick its scenario.
import { CENTRAPAY_PREFIXES, luhnValid, withLuhnDigit } from '../../src/shared/classify.ts';

export type Scenario = 'quick_pay' | 'patron_declines' | 'patron_approves' | 'code_invalid' | 'photo_id' | 'no_options' | 'manual';

export const TEST_SCENARIOS: Record<string, { scenario: Scenario; label: string }> = {
  '0001': { scenario: 'quick_pay', label: 'Quick Pay asset: charged when the first poll arrives, no patron approval' },
  '0002': { scenario: 'patron_approves', label: 'Patron approves in the app after pendingMs (paid)' },
  '0003': { scenario: 'patron_declines', label: 'Patron declines in the app after pendingMs (cancelled, DECLINED_BY_PATRON)' },
  '0004': { scenario: 'code_invalid', label: 'Create answers 403 PATRON_CODE_INVALID' },
  '0005': { scenario: 'photo_id', label: 'Photo-ID condition (force-condition-check-photo-id): awaiting-merchant with conditionsEnabled, else cancelled at the first poll' },
  '0006': { scenario: 'no_options', label: 'Create answers 403 NO_AVAILABLE_PAYMENT_OPTIONS' },
};

/** Asset a scenario pays with. Quick Pay assets are charged without the patron (spec §6). */
export function assetTypeFor(scenario: Scenario): string {
  return scenario === 'quick_pay' ? 'farmlands.nzd.test' : 'centrapay.nzd.test';
}

export const ASSET_DESCRIPTIONS: Record<string, string> = {
  'centrapay.nzd.test': 'Centrapay NZD (test)',
  'farmlands.nzd.test': 'Farmlands Card (test, Quick Pay)',
};

export function scenarioFor(code: string): Scenario {
  return TEST_SCENARIOS[code.slice(11, 15)]?.scenario ?? 'manual';
}

/** A Luhn-valid test code for a scenario suffix, e.g. testPatronCode('0001') → '9990001234500017'. */
export function testPatronCode(suffix: string, body = '99900012345'): string {
  if (!/^\d{4}$/.test(suffix) || !/^\d{11}$/.test(body)) throw new Error('testPatronCode: suffix is 4 digits, body 11');
  return withLuhnDigit(body + suffix);
}

export type CodeCheck =
  | { ok: true; code: string }
  | { ok: false; status: 400 | 403; message: 'CHECKSUM_FAILED' | 'PATRON_CODE_INVALID'; reason: string };

/** Shape checks on a scanned patron code. The Luhn check is switchable because the docs' own example
 *  code (9990001234567895) fails it (spec §6). */
export function checkPatronCode(code: string, luhnCheck: boolean): CodeCheck {
  if (!/^\d{16}$/.test(code) || !CENTRAPAY_PREFIXES.includes(code.slice(0, 6))) {
    return { ok: false, status: 403, message: 'PATRON_CODE_INVALID', reason: 'not a Centrapay patron code (16 digits with a listed prefix)' };
  }
  if (luhnCheck && !luhnValid(code)) return { ok: false, status: 400, message: 'CHECKSUM_FAILED', reason: 'Luhn check digit does not match' };
  return { ok: true, code };
}
