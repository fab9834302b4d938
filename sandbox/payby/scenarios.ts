// QRPAY "test cards" (simulator convention, not PayBy's; README documents them): the table is shared with
// the wallet page (sandbox/test-codes.ts); here, how the simulator picks a scenario and what it accepts.
import { PAYBY_TEST_PREFIXES, type PayByScenario } from '../test-codes.ts';

export type Scenario = PayByScenario;
export const TEST_PREFIXES = PAYBY_TEST_PREFIXES;

/** Wallet-issued codes and every other well-formed code wait for approve/decline on the control routes. */
export function scenarioFor(code: string): Scenario {
  return TEST_PREFIXES.find((t) => code.startsWith(t.prefix))?.scenario ?? 'manual';
}

/** What the simulator accepts as an authCode at all (anything else is declined as AUTHCODE_INVALID). */
export const AUTH_CODE_SHAPE = /^[0-9A-Z]{12,32}$/;
