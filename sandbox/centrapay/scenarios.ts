// Sandbox "test cards" (simulator convention, not Centrapay's; README lists them): the table is shared
// with the wallet page (sandbox/test-codes.ts); here, how the simulator reads a code and picks a scenario.
import { CENTRAPAY_PREFIXES, luhnValid } from '../../src/shared/classify.ts';
import { CENTRAPAY_TEST_SCENARIOS, testPatronCode, type CentrapayScenario } from '../test-codes.ts';

export type Scenario = CentrapayScenario;
export const TEST_SCENARIOS = CENTRAPAY_TEST_SCENARIOS;
export { testPatronCode };

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

export type CodeCheck =
  { ok: true; code: string } | { ok: false; status: 400 | 403; message: 'CHECKSUM_FAILED' | 'PATRON_CODE_INVALID'; reason: string };

/** Shape checks on a scanned patron code. The Luhn check is switchable because the docs' own example
 *  code (9990001234567895) fails it (spec §6). */
export function checkPatronCode(code: string, luhnCheck: boolean): CodeCheck {
  if (!/^\d{16}$/.test(code) || !CENTRAPAY_PREFIXES.includes(code.slice(0, 6))) {
    return {
      ok: false,
      status: 403,
      message: 'PATRON_CODE_INVALID',
      reason: 'not a Centrapay patron code (16 digits with a listed prefix)',
    };
  }
  if (luhnCheck && !luhnValid(code))
    return { ok: false, status: 400, message: 'CHECKSUM_FAILED', reason: 'Luhn check digit does not match' };
  return { ok: true, code };
}
